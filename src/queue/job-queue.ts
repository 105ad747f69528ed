// The queue side of BullMQ: adding an event durably (bounded, idempotent by job id), readiness, close.
import { Queue } from "bullmq";
import type { Logger } from "pino";
import { withTimeout } from "../redis/redis-command.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { JOB_BACKOFF_TYPE } from "./job-retry.js";
import { jobIdFor, type QueuedEvent } from "./queued-event.js";

/** The BullMQ queue name of webhook events (keys: `{prefix}:webhook-events:...`). */
export const QUEUE_NAME = "webhook-events";

/** The BullMQ key prefix under a `REDIS_KEY_PREFIX` (`cwr:` gives `cwr:bull`). */
export function queuePrefixFor(keyPrefix: string): string {
  return `${keyPrefix}bull`;
}

/** Options of {@link createJobQueue}. */
export interface JobQueueOptions {
  /** The queue's Redis (the project's node-redis connection; BullMQ takes the client as is). */
  readonly connection: RedisConnection;
  /** BullMQ key prefix, e.g. `cwr:bull`. */
  readonly prefix: string;
  /** `JOB_ATTEMPTS`: runs of a job before it is dead lettered. */
  readonly attempts: number;
  /** How long dead-lettered jobs are kept, with payload and errors (`REPLAY_RETENTION_SECONDS`). */
  readonly retentionSeconds: number;
  /** Bound on adding a job. Defaults to the connection's command timeout. */
  readonly addTimeoutMs?: number;
  readonly logger: Logger;
}

/** Jobs by state, as the queue gauges report them. */
export type QueueCounts = Readonly<Record<"waiting" | "active" | "delayed" | "failed", number>>;

/** Where the receiver puts verified events. */
export interface JobQueue {
  readonly name: string;
  readonly prefix: string;
  /**
   * Adds the event once Redis has it; adding an event whose job already exists adds nothing.
   * @throws RedisStoreError `redis_timeout`, `redis_offline` or `redis_failed`
   */
  add(event: QueuedEvent): Promise<void>;
  /**
   * Jobs by state now (`failed`: the dead letters), bounded like `add`.
   * @throws RedisStoreError `redis_timeout`, `redis_offline` or `redis_failed`
   */
  counts(): Promise<QueueCounts>;
  /** Whether the queue's Redis answers now (for `/readyz`). */
  readiness(): { readonly ready: boolean; readonly reason?: string };
  /** Closes the queue (the shared connection stays open: its owner closes it). */
  close(): Promise<void>;
}

/** Creates the queue; it never waits for Redis (adding fails fast while Redis is down). */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { connection, prefix, logger } = options;
  const queue = new Queue<QueuedEvent>(QUEUE_NAME, {
    connection: connection.client,
    prefix,
    skipWaitingForReady: true,
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: JOB_BACKOFF_TYPE },
      // A handled event leaves only its dedupe marker (the replay store's done entry) in Redis.
      removeOnComplete: true,
      removeOnFail: { age: options.retentionSeconds },
    },
  });
  queue.on("error", (error: unknown) => logger.warn({ err: error }, "queue error"));
  const addTimeoutMs = options.addTimeoutMs ?? connection.commandTimeoutMs;
  return {
    name: QUEUE_NAME,
    prefix,
    async add(event) {
      await withTimeout(queue.add(event.type, event, { jobId: jobIdFor(event.replayKey) }), addTimeoutMs, "enqueue");
    },
    async counts() {
      const counts = await withTimeout(queue.getJobCounts("waiting", "active", "delayed", "failed"), addTimeoutMs, "count jobs");
      return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
    },
    readiness: () => (connection.client.isReady ? { ready: true } : { ready: false, reason: "queue redis not connected" }),
    close: () => queue.close(),
  };
}
