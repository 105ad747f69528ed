// Queue-mode test helpers: a service in queue mode on the machine's Redis under a per-run prefix, counted waits, a BullMQ view.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { createClient } from "redis";
import type { ServiceOverrides } from "../../src/service/start-service.js";
import { QUEUE_NAME } from "../../src/queue/job-queue.js";
import { deleteKeys, LOCAL_REDIS_URL } from "../replay/redis-test-support.js";
import { startTestService, type TestService } from "../support/service.js";

/** A fresh `REDIS_KEY_PREFIX` for one test file (its keys deleted by {@link cleanUpPrefixes}). */
const prefixes: string[] = [];
export function newPrefix(): string {
  const prefix = `cwr-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

/** Deletes every key of every prefix handed out (call in `afterAll`). */
export async function cleanUpPrefixes(): Promise<void> {
  await Promise.all(prefixes.splice(0).map((prefix) => deleteKeys(LOCAL_REDIS_URL, prefix)));
}

/** Starts the service in queue mode on the local Redis (replay store and queue) with small retries. */
export function startQueueService(prefix: string, env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<TestService> {
  return startTestService(
    { REPLAY_STORE: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: prefix, DISPATCH: "queue", JOB_BACKOFF_MS: "10", JOB_ATTEMPTS: "3", ...env },
    overrides,
  );
}

/** A count that tests can wait on: `reach(n)` resolves once it is at least n, or rejects at the deadline. */
export interface Counted {
  readonly value: number;
  add(): void;
  reach(n: number, deadlineMs?: number): Promise<void>;
}

export function counted(): Counted {
  let value = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    get value() {
      return value;
    },
    add() {
      value += 1;
      for (const waiter of waiters.filter((w) => value >= w.n)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    reach(n, deadlineMs = 15_000) {
      if (value >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`count stayed at ${value}, expected ${n} within ${deadlineMs} ms`)), deadlineMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** The count of `webhook_jobs_total{outcome}` of a service. */
export async function jobsCounted(service: TestService, outcome: string): Promise<number> {
  const metric = await service.receiver.metrics.jobs.get();
  return metric.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

/** A BullMQ view of the queue under `prefix`, for assertions (close it after). */
export async function inspectQueue(prefix: string, url = LOCAL_REDIS_URL): Promise<{ queue: Queue; close(): Promise<void> }> {
  const client = createClient({ url });
  await client.connect();
  const queue = new Queue(QUEUE_NAME, { connection: client, prefix: `${prefix}bull` });
  return {
    queue,
    async close() {
      await queue.close();
      client.destroy();
    },
  };
}
