// Counting and warning (at most once a minute) when the memory store's bound cuts dedupe short.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Counter } from "prom-client";

/** Options of {@link createEvictionWarning}. */
export interface EvictionWarningOptions {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly counter: Counter;
  readonly maxEntries: number;
  readonly retentionSeconds: number;
  /** Shortest gap between two warnings. Defaults to one minute. */
  readonly everyMs?: number;
}

/**
 * The memory store's `onEvict`: counts every live entry evicted for room and warns, at most
 * once per `everyMs`, that handled ids are forgotten before `REPLAY_RETENTION_SECONDS`.
 */
export function createEvictionWarning(options: EvictionWarningOptions): (key: string) => void {
  const everyMs = options.everyMs ?? 60_000;
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  let sinceWarning = 0;
  return () => {
    options.counter.inc();
    sinceWarning++;
    const now = options.clock.now();
    if (now - lastWarnedAt < everyMs) return;
    options.logger.warn(
      { evicted: sinceWarning, max_entries: options.maxEntries, retention_seconds: options.retentionSeconds },
      "replay store full: ids evicted before their retention ended, so dedupe is shorter than configured (raise REPLAY_MAX_ENTRIES or use Redis)",
    );
    lastWarnedAt = now;
    sinceWarning = 0;
  };
}
