// The queue's /metrics gauges (waiting, active, delayed, dead-lettered), read from Redis at most every 5 s, not on every scrape.
import { Gauge, type Registry } from "prom-client";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { QueueCounts } from "./job-queue.js";

/** The least time between two reads of the counts, on the receiver's clock. */
export const QUEUE_GAUGE_REFRESH_MS = 5_000;

/** Options of {@link registerQueueGauges}. */
export interface QueueGaugeOptions {
  readonly registry: Registry;
  /** Reads the counts (bounded: a slow Redis must not hang a scrape). */
  readonly counts: () => Promise<QueueCounts>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Whether counts read at `refreshedAt` are due for a new read at `now`. */
export function queueCountsDue(refreshedAt: number | undefined, now: number): boolean {
  return refreshedAt === undefined || now - refreshedAt >= QUEUE_GAUGE_REFRESH_MS || now < refreshedAt;
}

/**
 * Registers `webhook_queue_jobs{state}` (`waiting`, `active`, `delayed`, `dead_lettered`). A scrape
 * reads Redis only when the last read is 5 s old or more (scrapes at once share that read); while
 * Redis does not answer, the last counts stay (none before the first answer).
 */
export function registerQueueGauges(options: QueueGaugeOptions): void {
  const { clock, logger } = options;
  let refreshedAt: number | undefined;
  let reading: Promise<QueueCounts | undefined> | undefined;
  let last: QueueCounts | undefined;
  const read = (): Promise<QueueCounts | undefined> =>
    (reading ??= options
      .counts()
      .then(
        (counts) => (last = counts),
        (error: unknown) => (logger.debug({ err: error }, "queue gauges: counts not read; keeping the last ones"), last),
      )
      .finally(() => (reading = undefined)));
  new Gauge({
    name: "webhook_queue_jobs",
    help: "Queued events by state (waiting, active, delayed, dead_lettered), read at most every 5 s",
    labelNames: ["state"],
    registers: [options.registry],
    async collect() {
      const now = clock.now();
      if (queueCountsDue(refreshedAt, now)) {
        refreshedAt = now;
        await read();
      } else if (reading !== undefined) await reading;
      if (last === undefined) return;
      this.set({ state: "waiting" }, last.waiting);
      this.set({ state: "active" }, last.active);
      this.set({ state: "delayed" }, last.delayed);
      this.set({ state: "dead_lettered" }, last.failed);
    },
  });
}
