// Queue mode's workers: events per second per core of `chatgpt-webhooks worker` draining a queue of no-op events.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { createClient } from "redis";
import { QUEUE_NAME, queuePrefixFor } from "../src/queue/job-queue.js";
import { deleteRedisKeys, redisReachable } from "./lib/redis-keys.js";
import { cpuMicros } from "./lib/proc-stat.js";
import { DIST_CLI, NOOP_HANDLERS } from "./lib/paths.js";
import { chatgptSigner } from "./lib/signers.js";
import { startServiceTarget } from "./lib/start-service-target.js";

const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const EVENTS = Number(process.env.BENCH_QUEUE_EVENTS ?? 20_000);
const CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? "8";

if (!(await redisReachable(REDIS_URL))) throw new Error(`no Redis at ${REDIS_URL}`);
const secret = randomBytes(32).toString("hex");
const prefix = `cwr-bench:${randomUUID()}:`;
const env = { WEBHOOK_SECRET: secret, REPLAY_STORE: REDIS_URL, REDIS_KEY_PREFIX: prefix, DISPATCH: "queue", WORKER_CONCURRENCY: "0" };
const workDir = mkdtempSync(join(tmpdir(), "cwr-bench-queue-"));
const sign = chatgptSigner(secret);

// 1. Fill the queue through the real receive path (202 each), with no worker running.
const receiver = await startServiceTarget(workDir, "receiver", env, sign);
const pad = "x".repeat(900);
let sent = 0;
const post = async (): Promise<void> => {
  while (sent < EVENTS) {
    const id = `evt_${sent++}_${randomUUID()}`;
    const body = Buffer.from(JSON.stringify({ id, object: "event", type: "response.completed", data: { pad } }));
    const answer = await fetch(receiver.url, { method: "POST", body, headers: sign(body, id) });
    if (answer.status !== 202) throw new Error(`expected 202, got ${answer.status}`);
  }
};
await Promise.all(Array.from({ length: 10 }, post));
await receiver.stop();

// 2. One worker process drains it; its CPU time and the wall time are measured.
const client = createClient({ url: REDIS_URL });
await client.connect();
const queue = new Queue(QUEUE_NAME, { connection: client, prefix: queuePrefixFor(prefix) });
const waiting = async (): Promise<number> => {
  const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
  return Object.values(counts).reduce((a, b) => a + b, 0);
};
const queued = await waiting();
const started = performance.now();
const worker = spawn(process.execPath, [DIST_CLI, "worker"], {
  env: { PATH: process.env.PATH, ...env, WORKER_CONCURRENCY: CONCURRENCY, HANDLERS: NOOP_HANDLERS, LOG_LEVEL: "warn" },
  stdio: "ignore",
});
let cpu = 0;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  cpu = cpuMicros(worker.pid!);
  if ((await waiting()) === 0) break;
}
const seconds = (performance.now() - started) / 1000;
worker.kill("SIGTERM");
await queue.close();
client.destroy();
await deleteRedisKeys(REDIS_URL, prefix);
console.log(
  `| worker (WORKER_CONCURRENCY=${CONCURRENCY}, no-op handler) | ${queued} events | ${seconds.toFixed(1)} s wall (start-up included) | ` +
    `${(queued / seconds).toFixed(0)} events/s | ${(cpu / queued).toFixed(0)} us CPU/event | ${(queued / (cpu / 1e6)).toFixed(0)} events/s per core |`,
);
