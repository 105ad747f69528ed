// The soak core: a fixed request rate against the real service with duplicates, forgeries, failing handlers and a retrying sender.
import { Writable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import pino from "pino";
import { loadServiceConfig } from "../../src/config/env.js";
import { startService } from "../../src/service/start-service.js";
import { chatgptHeaders } from "../support/independent-signers.js";

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** How long requests are sent. */
  readonly seconds: number;
  /** New deliveries per second (valid + forged; duplicates and retries come on top). */
  readonly rate: number;
  /** Share of valid events also sent a second time. Defaults to 0.01. */
  readonly duplicateRate?: number;
  /** Share of deliveries signed with a wrong key. Defaults to 0.01. */
  readonly forgedRate?: number;
  /** Share of handler runs that throw. Defaults to 0.02. */
  readonly handlerFailureRate?: number;
  /** Seed of every random choice. Defaults to the current time. */
  readonly seed?: number;
  /** Allowed memory growth from the 1/3 sample to the end. Defaults to max(8 MB, 15 % of the 1/3 sample). */
  readonly memoryMarginBytes?: number;
  /** Progress lines (one every few seconds). */
  readonly log?: (line: string) => void;
}

/** What a soak run measured; `violations` lists every broken promise (empty on success). */
export interface SoakReport {
  readonly seed: number;
  readonly seconds: number;
  readonly rate: number;
  readonly replayMaxEntries: number;
  readonly requests: number;
  readonly validEvents: number;
  readonly duplicateSends: number;
  readonly forgedEvents: number;
  readonly retries: number;
  readonly handlerRuns: number;
  readonly handlerFailures: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly maxInFlight: number;
  /** Log lines at warn or above the service wrote (rejections, handler failures). */
  readonly warnLogLines: number;
  readonly memory: {
    readonly measure: "heapUsed after GC" | "rss";
    readonly atThirdBytes: number;
    readonly atEndBytes: number;
    readonly marginBytes: number;
  };
  readonly durationMs: number;
  readonly violations: readonly string[];
}

const SECRET = "soak-secret-0123456789abcdef";
const FORGED_SECRET = "forged-secret-0123456789abcdef";
const MAX_ATTEMPTS = 30;

/** mulberry32: small, fast, seedable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A way to force a full GC: `--expose-gc` if given, else the flag set at run time. */
function findGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one soak against a fresh in-process service on 127.0.0.1 and reports; never throws for a violation. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const next = random(seed);
  const handlerRandom = random(seed ^ 0x5bd1e995);
  const duplicateRate = options.duplicateRate ?? 0.01;
  const forgedRate = options.forgedRate ?? 0.01;
  const failureRate = options.handlerFailureRate ?? 0.02;
  const log = options.log ?? (() => undefined);
  // Never below the run's event count: an LRU eviction would let a late retry run an event again
  // (the documented limit of a bounded store), which is not what the soak measures.
  const replayMaxEntries = Math.max(100_000, Math.ceil(options.rate * options.seconds * 1.2));
  const violations: string[] = [];

  const handlerRuns = new Map<string, number>();
  let handlerFailures = 0;
  let forgedHandled = 0;
  let logLines = 0;
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      logLines++;
      done();
    },
  });
  const config = loadServiceConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    WEBHOOK_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: "0",
    RATE_LIMIT_FAILURES_PER_MINUTE: "0",
    REPLAY_MAX_ENTRIES: String(replayMaxEntries),
    HANDLER_TIMEOUT_MS: "5000",
  });
  const service = await startService(config, pino({ level: "warn" }, sink), {
    register: (receiver) =>
      receiver.on("*", async (event) => {
        if (event.id.startsWith("evt_forged_")) forgedHandled++;
        await sleep(Math.floor(handlerRandom() * 3));
        if (handlerRandom() < failureRate) {
          handlerFailures++;
          throw new Error("soak: injected handler failure");
        }
        handlerRuns.set(event.id, (handlerRuns.get(event.id) ?? 0) + 1);
      }),
  });
  const url = `${service.url}${config.path}`;

  const statuses = new Map<string, number>();
  let requests = 0;
  let retries = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const count = (status: string): void => void statuses.set(status, (statuses.get(status) ?? 0) + 1);

  async function send(body: Buffer, secret: string): Promise<number> {
    requests++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...chatgptHeaders(body, secret) },
      });
      await response.arrayBuffer();
      count(String(response.status));
      return response.status;
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      count(`network_error${typeof code === "string" ? `:${code}` : ""}`);
      return 0;
    } finally {
      inFlight--;
    }
  }

  /** The sender: re-signs and retries every 5xx, 409 and network error with a short backoff, until 2xx. */
  async function deliver(body: Buffer, id: string, label: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const status = await send(body, SECRET);
      if (status >= 200 && status < 300) return;
      if (status !== 0 && status !== 409 && status < 500) {
        violations.push(`${label} ${id}: answered ${status}, which a sender does not retry`);
        return;
      }
      retries++;
      await sleep(Math.min(200, 5 * 2 ** attempt) + Math.floor(next() * 10));
    }
    violations.push(`${label} ${id}: no 2xx after ${MAX_ATTEMPTS} attempts`);
  }

  async function forge(body: Buffer, id: string): Promise<void> {
    const status = await send(body, FORGED_SECRET);
    if (status !== 401) violations.push(`forged ${id}: answered ${status}, expected 401`);
  }

  const validIds: string[] = [];
  const forgedIds: string[] = [];
  let duplicateSends = 0;
  const pending = new Set<Promise<void>>();
  const track = (task: Promise<void>): void => {
    pending.add(task);
    void task.finally(() => pending.delete(task));
  };

  const gc = findGc();
  const sampleMemory = (): number => {
    if (gc === undefined) return process.memoryUsage().rss;
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };

  const started = performance.now();
  const durationMs = options.seconds * 1000;
  let launched = 0;
  let atThird: number | undefined;
  let lastProgress = started;
  // A fixed number of deliveries, released on schedule; a stalled loop catches up rather than sending fewer.
  const total = Math.round(options.rate * options.seconds);
  while (launched < total) {
    const elapsed = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsed * options.rate) / 1000));
    for (; launched < due; launched++) {
      const n = launched;
      if (next() < forgedRate) {
        const id = `evt_forged_${seed}_${n}`;
        forgedIds.push(id);
        track(forge(Buffer.from(JSON.stringify({ id, object: "event", type: "response.completed", data: { n } })), id));
        continue;
      }
      const id = `evt_soak_${seed}_${n}`;
      validIds.push(id);
      const body = Buffer.from(JSON.stringify({ id, object: "event", created_at: Math.floor(Date.now() / 1000), type: "response.completed", data: { n } }));
      track(deliver(body, id, "valid"));
      if (next() < duplicateRate) {
        duplicateSends++;
        const delay = Math.floor(next() * 100); // sometimes while the first is still in flight (409 then duplicate)
        track(sleep(delay).then(() => deliver(body, id, "duplicate")));
      }
    }
    if (atThird === undefined && elapsed >= durationMs / 3) atThird = sampleMemory();
    if (performance.now() - lastProgress >= 5000) {
      lastProgress = performance.now();
      log(`soak: ${Math.round(elapsed / 1000)} s, ${requests} requests, ${inFlight} in flight, ${retries} retries`);
    }
    await sleep(5);
  }
  let drainTimer: NodeJS.Timeout | undefined;
  const drainDeadline = new Promise<"timeout">((resolve) => {
    drainTimer = setTimeout(() => resolve("timeout"), 30_000);
  });
  while (pending.size > 0) {
    const outcome = await Promise.race([Promise.all([...pending]).then(() => "done" as const), drainDeadline]);
    if (outcome === "timeout") {
      violations.push(`${pending.size} deliveries still pending 30 s after the end`);
      break;
    }
  }
  clearTimeout(drainTimer);
  const totalMs = performance.now() - started;

  const atEnd = sampleMemory();
  const third = atThird ?? atEnd;
  const marginBytes = options.memoryMarginBytes ?? Math.max(8 * 1024 * 1024, Math.round(third * 0.15));
  if (atEnd > third + marginBytes) {
    violations.push(`memory grew from ${third} to ${atEnd} bytes (margin ${marginBytes})`);
  }
  for (const id of validIds) {
    const runs = handlerRuns.get(id) ?? 0;
    if (runs !== 1) violations.push(`valid ${id}: handled ${runs} times`);
  }
  if (forgedHandled > 0) violations.push(`${forgedHandled} forged events reached a handler`);
  for (const id of forgedIds) if (handlerRuns.has(id)) violations.push(`forged ${id}: handled`);
  if (service.receiver.inFlight() !== 0) violations.push(`${service.receiver.inFlight()} deliveries still in flight in the receiver`);
  await service.shutdown();

  return {
    seed,
    seconds: options.seconds,
    rate: options.rate,
    replayMaxEntries,
    requests,
    validEvents: validIds.length,
    duplicateSends,
    forgedEvents: forgedIds.length,
    retries,
    handlerRuns: [...handlerRuns.values()].reduce((sum, runs) => sum + runs, 0),
    handlerFailures,
    statuses: Object.fromEntries([...statuses].sort()),
    maxInFlight,
    warnLogLines: logLines,
    memory: { measure: gc === undefined ? "rss" : "heapUsed after GC", atThirdBytes: third, atEndBytes: atEnd, marginBytes },
    durationMs: Math.round(totalMs),
    violations: violations.length > 50 ? [...violations.slice(0, 50), `... and ${violations.length - 50} more`] : violations,
  };
}
