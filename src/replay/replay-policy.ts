// How long claims and done marks live: the lease of a claim in progress, the retention of a handled event.

/** A claim in progress lives 2 x the handler timeout, at least 30 s (README, "Handlers"). */
export function leaseMsFor(handlerTimeoutMs: number): number {
  return Math.max(2 * handlerTimeoutMs, 30_000);
}

/**
 * How often a claim whose handler outlived its timeout is extended: every third of a lease, so
 * two extensions can fail or arrive late before the lease lapses.
 */
export function extendEveryMsFor(leaseMs: number): number {
  return Math.max(1, Math.floor(leaseMs / 3));
}

/** What decides how long a handled event is remembered. */
export interface RetentionPolicy {
  /** `REPLAY_RETENTION_SECONDS`: longer than the provider's 72-hour retry horizon by default. */
  readonly retentionSeconds: number;
  /** `WEBHOOK_TOLERANCE_SECONDS`: the freshness window of a signed timestamp. */
  readonly toleranceSeconds: number;
}

/**
 * Life in ms of the done mark of a delivery signed at `signedAtSeconds`: the retention, and never
 * less than until that delivery's freshness window has closed (`signedAt + tolerance + 1` s), so
 * a replay of it is stopped by the clock or by the store, never by neither.
 */
export function doneTtlMs(policy: RetentionPolicy, signedAtSeconds: number, nowMs: number): number {
  const windowClosesMs = (signedAtSeconds + policy.toleranceSeconds + 1) * 1000;
  return Math.max(policy.retentionSeconds * 1000, windowClosesMs - nowMs);
}
