// A replay guard over any store for unit tests: the default retention, a silent logger, its counters readable.
import pino from "pino";
import { createReceiverMetrics } from "../../src/observability/metrics.js";
import { createReplayGuard } from "../../src/pipeline/replay-guard.js";
import type { ReplayStore } from "../../src/replay/replay-store.js";

/** The clock vitest's fake timers move (Date.now), so store ttls and guard timers agree. */
export const timerClock = { now: () => Date.now() };

const count = async (counter: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> =>
  (await counter.get()).values[0]?.value ?? 0;

/** The guard over `store` with `leaseMs`, and its "done mark lost" and "claim lost" counts. */
export function guardOver(store: ReplayStore, leaseMs: number) {
  const metrics = createReceiverMetrics();
  const guard = createReplayGuard({
    store,
    leaseMs,
    retentionSeconds: 345_600,
    toleranceSeconds: 300,
    clock: timerClock,
    logger: pino({ level: "silent" }),
    metrics,
  });
  return { guard, lost: () => count(metrics.replayCompleteFailures), lostClaims: () => count(metrics.replayLostClaims) };
}
