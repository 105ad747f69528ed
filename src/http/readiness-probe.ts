// /readyz's view of the receiver: one readiness check at most once a second, shared by every caller.
import type { Clock } from "../clock.js";
import type { Readiness } from "../receiver/create-receiver.js";

/** How long one readiness check answers /readyz (probes and load balancers may poll often). */
export const READINESS_MAX_AGE_MS = 1_000;

/**
 * Wraps `check` (which may cost a replay store round trip) so that it runs at most once per
 * `maxAgeMs` of `clock` time: callers within that age get the last answer, and callers while a
 * check runs share it. A burst of probes therefore costs one store ping, not one per request.
 */
export function createReadinessProbe(check: () => Promise<Readiness>, clock: Clock, maxAgeMs = READINESS_MAX_AGE_MS): () => Promise<Readiness> {
  let last: { readonly at: number; readonly value: Readiness } | undefined;
  let running: Promise<Readiness> | undefined;
  return () => {
    if (last !== undefined && clock.now() - last.at < maxAgeMs) return Promise.resolve(last.value);
    running ??= check()
      .then((value) => {
        last = { at: clock.now(), value };
        return value;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
