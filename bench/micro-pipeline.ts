// In-process: our receiver's front door per delivery against the mandatory work alone (`npm run bench:pipeline`).
import { createSecretKey } from "node:crypto";
import { createEventFactory } from "./lib/event-factory.js";
import { createFullPipelineReceiver } from "./lib/full-pipeline-receiver.js";
import { minimalVerified } from "./lib/minimal-verify.js";
import { pinSelf, SERVER_CORE } from "./lib/pinning.js";
import { chatgptSigner } from "./lib/signers.js";
import { median } from "./lib/stats.js";

const SECRET = "bench-pipeline-secret-0123456789abcdef0123";
process.env.BENCH_SECRET = SECRET; // the receiver's secret (bench/lib/full-pipeline-receiver.ts)
const CALLS = Number(process.env.BENCH_PIPELINE_CALLS ?? 30_000);
const ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 9);

const events = createEventFactory(Number(process.env.BENCH_PIPELINE_SIZE ?? 1024));
const sign = chatgptSigner(SECRET);
const key = createSecretKey(Buffer.from(SECRET, "utf8"));
// The service scenario's receiver (memory store, both limiters, pino at info, no-op handler); its log lines go nowhere.
const receiver = await createFullPipelineReceiver("/dev/null");

/** One fresh signed delivery: both cases pay for making it, so the difference is theirs alone. */
function delivery(): { body: Buffer; headers: Record<string, string> } {
  const event = events();
  return { body: event.body, headers: sign(event.body, event.id) };
}

/** Ours: `receiver.handle`, everything an adapter calls, with the body already read. */
async function ours(): Promise<void> {
  const { body, headers } = delivery();
  const read = Promise.resolve({ kind: "read" as const, body });
  const answer = await receiver.handle({ method: "POST", headers, clientKey: "127.0.0.1", clientAddress: "127.0.0.1", readBody: () => read });
  if (answer?.status !== 200 || answer.body.status !== "processed") throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
}

/** The minimal honest receiver's work: freshness, HMAC + timingSafeEqual, JSON.parse, after the same await of the body. */
async function mandatory(): Promise<void> {
  const { body, headers } = delivery();
  const read = await Promise.resolve(body);
  if (!minimalVerified(key, read, headers["x-chatgpt-timestamp"], headers["x-chatgpt-signature"])) throw new Error("not verified");
  const event = JSON.parse(read.toString("utf8")) as { id?: unknown };
  if (typeof event.id !== "string") throw new Error("no event id");
}

/** CPU microseconds (user + system) per call over `calls` sequential calls. */
async function cpuPerCall(run: () => Promise<void>, calls: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

const pinnedToCore = pinSelf(SERVER_CORE);
const oursSamples: number[] = [];
const mandatorySamples: number[] = [];
await cpuPerCall(ours, CALLS); // warm-up
await cpuPerCall(mandatory, CALLS);
for (let round = 0; round < ROUNDS; round += 1) {
  // A B, B A, ...: neither case always runs right after the other's garbage.
  if (round % 2 === 0) oursSamples.push(await cpuPerCall(ours, CALLS));
  mandatorySamples.push(await cpuPerCall(mandatory, CALLS));
  if (round % 2 === 1) oursSamples.push(await cpuPerCall(ours, CALLS));
}
const pairs = oursSamples.map((value, round) => value - (mandatorySamples[round] ?? Number.NaN));
console.log(`| case | CPU us per delivery (median of ${ROUNDS} rounds of ${CALLS}) |`);
console.log("| --- | ---: |");
console.log(`| our receiver (\`receiver.handle\`) | ${median(oursSamples).toFixed(2)} |`);
console.log(`| mandatory work only | ${median(mandatorySamples).toFixed(2)} |`);
console.log(`| what ours adds (median of per-round differences) | ${median(pairs).toFixed(2)} |`);
console.log(`\nBoth include making and signing each delivery; pinned to core ${pinnedToCore ? SERVER_CORE : "none"}.`);
await receiver.close();
