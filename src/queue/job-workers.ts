// The worker side of BullMQ: WORKER_CONCURRENCY runs of queued events, retries with backoff, dead letters, bounded close.
import { Worker, type Job } from "bullmq";
import type { Clock } from "../clock.js";
import type { ReceiverMetrics } from "../observability/metrics.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { QUEUE_NAME } from "./job-queue.js";
import { bullmqConnection } from "./bullmq-connection.js";
import { jobRetryDelayAfter } from "./job-retry.js";
import type { QueuedEvent } from "./queued-event.js";
import { runQueuedEvent, type RunQueuedEventDependencies } from "./run-queued-event.js";

/** Shortest gap between two "queue worker error" log lines. */
const ERROR_LOG_EVERY_MS = 10_000;

/** While Redis is away, how often a worker tries again to fetch, or to record a finished job. */
const REDIS_RETRY_MS = 1_000;

/** Options of {@link startJobWorkers}. */
export interface JobWorkersOptions extends RunQueuedEventDependencies {
  readonly connection: RedisConnection;
  readonly prefix: string;
  /** `WORKER_CONCURRENCY`: events run at once by this process (at least 1 here). */
  readonly concurrency: number;
  /** `JOB_ATTEMPTS`: also how often a job may be cut off (worker killed) before it fails. */
  readonly attempts: number;
  /** `JOB_BACKOFF_MS`: the first retry's wait. */
  readonly backoffMs: number;
  /** `JOB_LOCK_MS`: a running job's lock, and how often stalled jobs (dead workers) are looked for. */
  readonly lockMs: number;
  readonly metrics: ReceiverMetrics;
  /** The receiver's clock (time in queue, the error-log throttle). */
  readonly clock: Clock;
}

/** Running workers. */
export interface JobWorkers {
  /**
   * Stops taking jobs and lets active ones finish for up to `graceMs`; a job still running then
   * is cut off and goes back to the queue once its lock expires (it runs again: at-least-once).
   */
  close(graceMs: number): Promise<void>;
}

/** Starts the workers. */
export function startJobWorkers(options: JobWorkersOptions): JobWorkers {
  const { logger, metrics } = options;
  const running = new RunningJobs();
  const processor = async (job: Job<QueuedEvent>): Promise<string> => {
    const attempt = job.attemptsMade + 1;
    if (attempt === 1) metrics.jobQueueDuration.observe(Math.max(0, options.clock.now() - job.data.queuedAt) / 1000);
    running.add(job.id);
    return runQueuedEvent(options, job.data, attempt);
  };
  const worker = new Worker<QueuedEvent, string>(QUEUE_NAME, processor, {
    connection: bullmqConnection(options.connection.client),
    runRetryDelay: REDIS_RETRY_MS,
    prefix: options.prefix,
    concurrency: options.concurrency,
    maxStalledCount: options.attempts,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    settings: { backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => jobRetryDelayAfter(attemptsMade, options.backoffMs, error) },
  });
  worker.on("completed", (job, outcome) => {
    running.remove(job.id);
    metrics.jobs.inc({ outcome });
    logger.info({ event_id: job.data.id, event_type: job.data.type, attempt: job.attemptsMade, outcome }, "queued event handled");
  });
  worker.on("failed", (job, error) => {
    if (job === undefined) return;
    running.remove(job.id);
    const fields = { err: error, event_id: job.data.id, event_type: job.data.type, attempt: job.attemptsMade };
    if (job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === "UnrecoverableError") {
      metrics.jobs.inc({ outcome: "dead_lettered" });
      logger.error(fields, "queued event dead lettered after its last attempt");
    } else {
      metrics.jobs.inc({ outcome: "retried" });
      logger.warn(fields, "queued event failed; it will be retried");
    }
  });
  let lastErrorLogAt = Number.NEGATIVE_INFINITY;
  let unlogged = 0;
  worker.on("error", (error) => {
    // At most one line per 10 s, with how many errors it stands for: during a Redis outage every
    // worker's fetch, lock renewal and stalled-job check fails once per retry.
    unlogged++;
    metrics.queueWorkerErrors.inc();
    const now = options.clock.now();
    if (now - lastErrorLogAt < ERROR_LOG_EVERY_MS) return;
    logger.warn({ err: error, errors: unlogged }, "queue worker error");
    lastErrorLogAt = now;
    unlogged = 0;
  });

  let closing: Promise<void> | undefined;
  return {
    close(graceMs) {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        // Done when the jobs running now are finished and recorded: BullMQ's own pause also waits
        // for a fetch in flight, which retries until Redis answers.
        const finished = await Promise.race([
          worker.pause().then(() => true),
          running.idle().then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
        ]);
        clearTimeout(timer);
        if (!finished) logger.warn({ grace_ms: graceMs }, "shutdown: queued events still running are cut off; they return to the queue when their lock expires");
        await worker.close(true);
      })();
      return closing;
    },
  };
}

/** The jobs this process is running, from their start until BullMQ has recorded their end; and a wait for none. */
class RunningJobs {
  readonly #ids = new Set<string | undefined>();
  #waiters: Array<() => void> = [];

  add(id: string | undefined): void {
    this.#ids.add(id);
  }

  remove(id: string | undefined): void {
    this.#ids.delete(id);
    if (this.#ids.size === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once no job is running (at once when none is). */
  idle(): Promise<void> {
    if (this.#ids.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
