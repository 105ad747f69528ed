// Micro-benchmark of our verify path vs one bare createHmac and standardwebhooks' verify (`npm run bench:micro`).
import { createHmac, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Webhook } from "standardwebhooks";
import { chatgptScheme } from "../src/signature/chatgpt-scheme.js";
import { prepareKey } from "../src/signature/hmac-key.js";
import { verify } from "../src/signature/sign-and-verify.js";
import { standardScheme } from "../src/signature/standard-scheme.js";
import { verifyDelivery } from "../src/signature/verify-delivery.js";
import { createEventFactory } from "./lib/event-factory.js";
import { measureNs, type MicroCase } from "./lib/measure-ns.js";
import { pinSelf, SERVER_CORE } from "./lib/pinning.js";
import { chatgptSigner, standardSigner } from "./lib/signers.js";
import { formatMicroTable, MICRO_CASES, type MicroResult } from "./lib/micro-report.js";

function casesFor(sizeBytes: number): MicroCase[] {
  const body = createEventFactory(sizeBytes)().body;
  const id = "msg_micro";
  const secret = randomBytes(32).toString("hex");
  const whsec = `whsec_${randomBytes(32).toString("base64")}`;
  const chatgptHeaders = chatgptSigner(secret)(body, id);
  const standardHeaders = standardSigner(whsec)(body, id);
  const prefix = `${chatgptHeaders["x-chatgpt-timestamp"]}.`;
  const keys = [prepareKey(secret, false)];
  const standardKeys = [prepareKey(whsec, true)];
  const webhook = new Webhook(whsec);
  // Inputs built once per call site shape: the timed work is the verifier's, not object spreads.
  const verifyInput = (nowMs: number) => ({ scheme: chatgptScheme, headers: chatgptHeaders, body, keys, nowMs, toleranceSeconds: 300 });
  return [
    { name: MICRO_CASES.bare, run: () => createHmac("sha256", secret).update(prefix).update(body).digest() },
    { name: MICRO_CASES.ours, run: () => verifyDelivery(verifyInput(Date.now())) },
    { name: MICRO_CASES.oursPublic, run: () => verify("chatgpt", { body, headers: chatgptHeaders, secret }) },
    {
      name: MICRO_CASES.oursStandard,
      run: () => verifyDelivery({ scheme: standardScheme, headers: standardHeaders, body, keys: standardKeys, nowMs: Date.now(), toleranceSeconds: 300 }),
    },
    { name: MICRO_CASES.standardwebhooks, run: () => webhook.verify(body, standardHeaders) },
    { name: MICRO_CASES.standardwebhooksNoParse, run: () => webhook.verify(body, standardHeaders, { jsonParse: false }) },
  ];
}

/** Runs the micro-benchmark for each body size. */
export function runMicro(sizes: readonly number[]): MicroResult[] {
  return sizes.map((sizeBytes) => {
    const cases = casesFor(sizeBytes);
    for (const entry of cases) entry.run(); // every case must verify (throws otherwise)
    const ns = measureNs(cases);
    return { sizeBytes, nsPerOp: Object.fromEntries(ns) };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const pinnedToCore = pinSelf(SERVER_CORE);
  const results = runMicro([1024, 65536]);
  if (process.argv.includes("--json")) console.log(JSON.stringify({ pinnedToCore, results }));
  else console.log(formatMicroTable(results));
}
