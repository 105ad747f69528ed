// The operator's view of the queue (the `events` commands): dead letters, one event's history, retry, counts by state.
import { Queue, type Job } from "bullmq";
import type { RedisClient } from "../redis/redis-connection.js";
import { SCHEME_NAMES } from "../signature/schemes.js";
import { QUEUE_NAME } from "./job-queue.js";
import { jobIdFor, type QueuedEvent } from "./queued-event.js";

/** One dead-lettered event, as `events failed` lists it. */
export interface FailedEvent {
  /** The event id (`evt_...`). */
  readonly id: string;
  /** The job id (the encoded dedupe key); `show` and `retry` take either id. */
  readonly job: string;
  readonly type: string;
  readonly attempts: number;
  readonly lastError: string;
  /** When its last attempt failed, ISO 8601. */
  readonly failedAt: string | undefined;
}

/** One event with its payload and every attempt's error, as `events show` prints it. */
export interface EventDetails extends FailedEvent {
  readonly state: string;
  /** When the receiver queued it, ISO 8601. */
  readonly queuedAt: string;
  /** The verified body, parsed (the exact text is what the worker runs). */
  readonly payload: unknown;
  /** Each failed attempt's error (message and stack), oldest first. */
  readonly errors: readonly string[];
}

/** Counts of jobs by state (`failed` is the dead letters). */
export type QueueStats = Readonly<Record<(typeof STATS_STATES)[number], number>>;

const STATS_STATES = ["waiting", "active", "delayed", "prioritized", "failed"] as const;

/** Reads and retries the queue under one BullMQ prefix. */
export interface QueueAdmin {
  /** Dead-lettered events, most recent failure first. */
  failed(): Promise<FailedEvent[]>;
  /** One event by event id or job id, in any state; `undefined` when the queue has no such job. */
  show(id: string): Promise<EventDetails | undefined>;
  /**
   * Puts dead-lettered events back in the queue with fresh attempts.
   * @returns the ids that were retried, and those not found among the dead letters
   */
  retry(ids: readonly string[]): Promise<{ retried: string[]; notFound: string[] }>;
  /** Retries every dead-lettered event; returns how many. */
  retryAllFailed(): Promise<number>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function summary(job: Job<QueuedEvent>): FailedEvent {
  return {
    id: job.data.id,
    job: job.id ?? "",
    type: job.data.type,
    attempts: job.attemptsMade,
    lastError: job.failedReason ?? "",
    failedAt: iso(job.finishedOn),
  };
}

function parsedOr(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** Creates the admin view on `client` (which stays open: its owner closes it). */
export function createQueueAdmin(client: RedisClient, prefix: string): QueueAdmin {
  const queue = new Queue<QueuedEvent>(QUEUE_NAME, { connection: client, prefix });

  const allFailed = async (): Promise<Array<Job<QueuedEvent>>> => (await queue.getFailed(0, -1)).filter((job) => job !== undefined);

  /** A job by its id, by `scheme:eventId` (the dedupe key), else a dead letter whose event id it is. */
  const find = async (id: string): Promise<Job<QueuedEvent> | undefined> => {
    for (const candidate of [id, ...SCHEME_NAMES.map((scheme) => jobIdFor(`${scheme}:${id}`))]) {
      const job = await queue.getJob(candidate);
      if (job !== undefined && job !== null) return job;
    }
    // The standard scheme dedupes on webhook-id, not the event id: look among the dead letters.
    return (await allFailed()).find((job) => job.data.id === id);
  };

  const retryJob = (job: Job<QueuedEvent>): Promise<void> => job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });

  return {
    async failed() {
      return (await allFailed()).map(summary);
    },
    async show(id) {
      const job = await find(id);
      if (job === undefined) return undefined;
      return {
        ...summary(job),
        state: await job.getState(),
        queuedAt: iso(job.data.queuedAt) ?? "",
        payload: parsedOr(job.data.body),
        errors: job.stacktrace ?? [],
      };
    },
    async retry(ids) {
      const retried: string[] = [];
      const notFound: string[] = [];
      for (const id of ids) {
        const job = await find(id);
        if (job === undefined || !(await job.isFailed())) notFound.push(id);
        else {
          await retryJob(job);
          retried.push(id);
        }
      }
      return { retried, notFound };
    },
    async retryAllFailed() {
      const jobs = await allFailed();
      for (const job of jobs) await retryJob(job);
      return jobs.length;
    },
    async stats() {
      const counts = await queue.getJobCounts(...STATS_STATES);
      return Object.fromEntries(STATS_STATES.map((state) => [state, counts[state] ?? 0])) as QueueStats;
    },
    close: () => queue.close(),
  };
}
