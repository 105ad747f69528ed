// A generated corpus of 500+ malformed, forged and hostile requests through real HTTP: coded 4xx answers, no handler, a live service.
import { gzipSync, deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders, nowSeconds } from "../support/independent-signers.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { generateCorpus, type CorpusCase } from "./support/corpus.js";
import { buildRequest, DESIGN_CODES, mapLimit, sendRaw, signedLines, type HostileAnswer } from "./support/hostile-http.js";

const MAX_BODY_BYTES = 262_144;
/** Statuses Node's HTTP layer answers with by itself (no JSON body): bad request, timeout, too large, header overflow. */
const NODE_STATUSES = [400, 408, 413, 431];

let service: TestService;
let port: number;
const handled: Array<{ id: string; type: string; proto: unknown; ownKeys: string[]; polluted: unknown }> = [];

beforeAll(async () => {
  service = await startTestService(
    { WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES), RATE_LIMIT_PER_MINUTE: "0", RATE_LIMIT_FAILURES_PER_MINUTE: "0" },
    {
      register: (receiver) =>
        receiver.on("*", (event) => {
          handled.push({
            id: event.id,
            type: event.type,
            proto: Object.getPrototypeOf(event),
            ownKeys: Object.keys(event),
            polluted: (event as unknown as Record<string, unknown>).polluted,
          });
        }),
    },
  );
  port = Number(new URL(service.url).port);
});
afterAll(() => service.shutdown());

/** What is wrong with one answer, or undefined when it is an acceptable one. */
function violation(entry: CorpusCase, answer: HostileAnswer): string | undefined {
  const where = `[${entry.group}] ${entry.name}`;
  if (answer.kind === "timeout") return `${where}: no answer within the bound`;
  if (answer.kind === "ours") {
    const code = answer.body?.error;
    const status = answer.status ?? 0;
    if (status < 400 || status > 499) return `${where}: status ${status} ${JSON.stringify(answer.body)}`;
    if (typeof code !== "string" || !(DESIGN_CODES[status] ?? []).includes(code)) return `${where}: ${status} with undocumented code ${String(code)}`;
    if (!entry.codes.includes(code)) return `${where}: ${status} ${code}, expected one of ${entry.codes.join(" | ")}`;
    if (Object.keys(answer.body ?? {}).sort().join(",") !== "error,message") return `${where}: error body has extra fields`;
    return undefined;
  }
  if (entry.httpLevel !== true) return `${where}: answered at the HTTP level (${answer.kind} ${String(answer.status)}) though well-formed HTTP`;
  if (answer.kind === "node" && !NODE_STATUSES.includes(answer.status ?? 0)) return `${where}: Node answered ${String(answer.status)}`;
  return undefined;
}

describe("the hostile HTTP corpus", () => {
  it("answers every malformed request with a coded 4xx (or Node's own refusal), runs no handler, and stays up", async () => {
    const corpus = generateCorpus({ secret: TEST_SECRET, maxBodyBytes: MAX_BODY_BYTES, nowSeconds: nowSeconds(), seed: 20_240_607 });
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    const handledBefore = handled.length;

    const answers = await mapLimit(corpus, 20, (entry) => sendRaw(port, entry.bytes, { halfClose: entry.halfClose === true, timeoutMs: 5000 }));

    const problems = corpus.map((entry, i) => violation(entry, answers[i]!)).filter((problem) => problem !== undefined);
    expect(problems).toEqual([]);
    expect(handled.length - handledBefore).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Both kinds of answer really occur: the split is part of what this test documents.
    const tally = new Map<string, number>();
    for (const answer of answers) {
      const key = answer.kind === "ours" ? `ours ${answer.status} ${String(answer.body?.error)}` : `${answer.kind} ${String(answer.status ?? "-")}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    if (process.env.HOSTILE_REPORT === "1") console.error(JSON.stringify({ corpus: corpus.length, tally: Object.fromEntries([...tally].sort()) }, null, 1));
    const ours = answers.filter((answer) => answer.kind === "ours").length;
    expect(ours).toBeGreaterThan(corpus.length * 0.8);
    expect(answers.length - ours).toBeGreaterThan(0);

    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const body = uniqueEvent();
    const after = await service.post(body, chatgptHeaders(body, TEST_SECRET));
    expect(after.status).toBe(200);
    expect(handled.length - handledBefore).toBe(1);
  });

  it("handles validly signed prototype-pollution events as plain data, without polluting Object.prototype", async () => {
    const payloads = [
      (id: string) => `{"__proto__":{"polluted":1},"id":"${id}","type":"response.completed"}`,
      (id: string) => `{"constructor":{"prototype":{"polluted":1}},"id":"${id}","type":"response.completed"}`,
      (id: string) => `{"id":"${id}","type":"response.completed","data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}`,
      (id: string) => `{"id":"${id}","type":"__proto__","__proto__":{"polluted":1}}`,
      (id: string) => `{"id":"${id}","type":"constructor"}`,
      (id: string) => `{"id":"${id}","type":"hasOwnProperty"}`,
      (id: string) => `{"id":"${id}","type":"toString"}`,
      () => `{"id":"__proto__","type":"response.completed","__proto__":{"id":"evt_x","polluted":1}}`,
      () => `{"id":"constructor","type":"prototype"}`,
    ];
    const before = handled.length;
    const results: Array<{ status: number; body: unknown }> = [];
    for (const [i, make] of payloads.entries()) {
      const body = make(`evt_proto_${process.pid}_${i}`);
      const answer = await sendRaw(port, buildRequest({ lines: ["Content-Type: application/json", ...signedLines(TEST_SECRET, body, String(nowSeconds()))], body }));
      results.push({ status: answer.status ?? 0, body: answer.body?.status });
    }
    expect(results).toEqual(payloads.map(() => ({ status: 200, body: "processed" })));
    const seen = handled.slice(before);
    expect(seen).toHaveLength(payloads.length);
    for (const event of seen) {
      expect(event.proto).toBe(Object.prototype);
      expect(event.polluted).toBeUndefined();
    }
    expect(seen[0]!.ownKeys).toContain("__proto__"); // kept as an own data property, never as a prototype
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect((Object.prototype as unknown as Record<string, unknown>).id).toBeUndefined();
  });
});

describe("Content-Encoding", () => {
  // Verification works on the exact bytes received (README, "Signature schemes"): an encoded body is
  // refused before it is read, never inflated (a corrupt one would otherwise be a zlib error, 500).
  it("answers a corrupt gzip / deflate / br body with a coded 4xx, not 500", async () => {
    const codes: string[] = [];
    for (const encoding of ["gzip", "deflate", "br"]) {
      const answer = await sendRaw(port, buildRequest({ lines: ["Content-Type: application/json", `Content-Encoding: ${encoding}`], body: "not compressed" }));
      codes.push(`${answer.status} ${String(answer.body?.error)}`);
    }
    for (const code of codes) expect(code).toMatch(/^4\d\d (missing_header|malformed_header|invalid_payload|unsupported_media_type)$/);
  });

  // The signature is checked against the inflated bytes, not the bytes received: a body signed in
  // plain text and sent gzip- or deflate-encoded is accepted and handled.
  it("refuses an encoded body with 415 instead of inflating it before verification", async () => {
    const before = handled.length;
    const statuses: string[] = [];
    for (const [encoding, encode] of [["gzip", gzipSync], ["deflate", deflateSync]] as const) {
      const plain = uniqueEvent();
      const headers = chatgptHeaders(plain, TEST_SECRET);
      const lines = ["Content-Type: application/json", `Content-Encoding: ${encoding}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
      const answer = await sendRaw(port, buildRequest({ lines, body: encode(plain) }));
      statuses.push(`${answer.status} ${String(answer.body?.error ?? answer.body?.status)}`);
    }
    expect(statuses).toEqual(["415 unsupported_media_type", "415 unsupported_media_type"]);
    expect(handled.length - before).toBe(0);
  });
});

describe("the failure rate limiter under a flood", () => {
  it("turns a flood of bad requests from one client into 429 rate_limited once RATE_LIMIT_FAILURES_PER_MINUTE is reached", async () => {
    const limited = await startTestService(
      { WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES), RATE_LIMIT_PER_MINUTE: "0", RATE_LIMIT_FAILURES_PER_MINUTE: "10" },
      { register: (receiver) => receiver.on("*", () => void handled.push({ id: "limited", type: "", proto: null, ownKeys: [], polluted: undefined })) },
    );
    try {
      const limitedPort = Number(new URL(limited.url).port);
      const corpus = generateCorpus({ secret: TEST_SECRET, maxBodyBytes: MAX_BODY_BYTES, nowSeconds: nowSeconds(), seed: 7 })
        .filter((entry) => entry.httpLevel !== true && entry.bytes.length < 100_000);
      const flood = corpus.filter((_, i) => i % Math.floor(corpus.length / 40) === 0).slice(0, 40);
      const answers: HostileAnswer[] = [];
      for (const entry of flood) answers.push(await sendRaw(limitedPort, entry.bytes, { halfClose: entry.halfClose === true }));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.slice(0, 10).every((status) => status !== undefined && status >= 400 && status < 429)).toBe(true);
      expect(statuses.slice(10)).toEqual(flood.slice(10).map(() => 429));
      for (const answer of answers.slice(10)) {
        expect(answer.body?.error).toBe("rate_limited");
        expect(Number(/\r\nretry-after: (\d+)/i.exec(answer.head)?.[1])).toBeGreaterThan(0);
      }
      // The limit is per client: even a valid delivery from the flooding client is refused now, unhandled.
      const before = handled.length;
      const body = uniqueEvent();
      expect((await limited.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(429);
      expect(handled.length).toBe(before);
      expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
    } finally {
      await limited.shutdown();
    }
  });
});
