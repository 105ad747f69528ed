// In-process: our receiver's front door per delivery against the mandatory work alone (`npm run bench:pipeline`).
import { createSecretKey, randomUUID } from "node:crypto";
import { createEventFactory } from "./lib/event-factory.js";
import { createFullPipelineReceiver, library, type FullPipelineRedis } from "./lib/full-pipeline-receiver.js";
import { minimalVerified } from "./lib/minimal-verify.js";
import { pinSelf, SERVER_CORE } from "./lib/pinning.js";
import { deleteRedisKeys, redisReachable } from "./lib/redis-keys.js";
import { chatgptSigner } from "./lib/signers.js";
import { median } from "./lib/stats.js";

const SECRET = "bench-pipeline-secret-0123456789abcdef0123";
process.env.BENCH_SECRET = SECRET; // the receiver's secret (bench/lib/full-pipeline-receiver.ts)
const CALLS = Number(process.env.BENCH_PIPELINE_CALLS ?? 30_000);
const ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 9);
/** Deliveries in flight at once, each a stream of calls started in its own macrotask, as sockets are. */
const IN_FLIGHT = Number(process.env.BENCH_PIPELINE_IN_FLIGHT ?? 1);
/** `memory` (the service scenario) or `redis` (the service-redis scenario's stores). */
const STORE = process.env.BENCH_PIPELINE_STORE ?? "memory";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
if (!Number.isInteger(IN_FLIGHT) || IN_FLIGHT < 1) throw new Error(`BENCH_PIPELINE_IN_FLIGHT must be a positive integer, got ${IN_FLIGHT}`);
if (STORE !== "memory" && STORE !== "redis") throw new Error(`BENCH_PIPELINE_STORE must be memory or redis, got ${STORE}`);

const events = createEventFactory(Number(process.env.BENCH_PIPELINE_SIZE ?? 1024));
const sign = chatgptSigner(SECRET);
const key = createSecretKey(Buffer.from(SECRET, "utf8"));

async function redisStores(): Promise<FullPipelineRedis> {
  if (!(await redisReachable(REDIS_URL))) throw new Error(`BENCH_PIPELINE_STORE=redis: nothing listens at ${REDIS_URL} (BENCH_REDIS_URL)`);
  const connection = library.createRedisConnection({ url: REDIS_URL });
  if (!(await connection.waitUntilReady(5_000))) throw new Error(`BENCH_PIPELINE_STORE=redis: no connection to ${REDIS_URL}`);
  return { connection, keyPrefix: `cwr-bench-pipeline:${randomUUID()}:` };
}
const redis = STORE === "redis" ? await redisStores() : undefined;
// The service scenario's receiver (both limiters, pino at info, no-op handler), with the chosen stores; its log lines go nowhere.
const receiver = await createFullPipelineReceiver("/dev/null", redis);

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

/** CPU microseconds (user + system) per call over `calls` calls, {@link IN_FLIGHT} at a time. */
async function cpuPerCall(run: () => Promise<void>, calls: number): Promise<number> {
  let started = 0;
  const stream = async (): Promise<void> => {
    await new Promise(setImmediate); // each stream begins in its own macrotask
    while (started < calls) {
      started += 1;
      await run();
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: IN_FLIGHT }, stream));
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
console.log(
  `\nBoth include making and signing each delivery; ${STORE} stores, ${IN_FLIGHT} in flight; pinned to core ${pinnedToCore ? SERVER_CORE : "none"}.`,
);
await receiver.close();
if (redis !== undefined) {
  await redis.connection.close();
  await deleteRedisKeys(REDIS_URL, redis.keyPrefix);
}
