// The replay guard around a store: store failures become `replay_store_unavailable`, leases and ttls derive from config.
import type { Logger } from "pino";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import { isThenable, type MaybePromise } from "../maybe-promise.js";
import type { ClaimResult, ReplayStore } from "../replay/replay-store.js";
import type { ReceiverMetrics } from "../observability/metrics.js";

/** Lease of a claim in progress: 2 x the handler timeout, at least 30 s (DESIGN.md section 5). */
export function leaseMsFor(handlerTimeoutMs: number): number {
  return Math.max(2 * handlerTimeoutMs, 30_000);
}

/** Life of a done entry: 2 x tolerance, so a replay is caught by the clock or the store. */
export function doneTtlMsFor(toleranceSeconds: number): number {
  return 2 * toleranceSeconds * 1000;
}

/** Claim / complete / release with the receiver's policy. */
export interface ReplayGuard {
  /** @throws DeliveryFailedError `replay_store_unavailable` */
  claim(key: string): MaybePromise<ClaimResult>;
  /**
   * Marks done; a failure is logged and counted, never thrown (the event was handled).
   * Synchronous when the store is (the memory store): nothing to await on the hot path.
   */
  complete(key: string, owner: string): MaybePromise<void>;
  /** Forgets the claim so a retry can run; a failure is logged (the lease then expires). */
  release(key: string, owner: string): Promise<void>;
  /** Keeps extending the lease until `until` settles (a handler past its timeout). */
  holdUntil(key: string, owner: string, until: Promise<unknown>): void;
}

/** Options of {@link createReplayGuard}. */
export interface ReplayGuardOptions {
  readonly store: ReplayStore;
  readonly leaseMs: number;
  readonly doneTtlMs: number;
  readonly logger: Logger;
  readonly metrics: ReceiverMetrics;
}

function unavailable(cause: unknown): DeliveryFailedError {
  return new DeliveryFailedError(ErrorCode.REPLAY_STORE_UNAVAILABLE, "replay store unavailable; retry later", {
    cause,
  });
}

/** First and longest wait between background attempts to mark an event done. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2_000;

/** Creates the guard. */
export function createReplayGuard(options: ReplayGuardOptions): ReplayGuard {
  const { store, leaseMs, doneTtlMs, logger, metrics } = options;

  const lostClaim = (key: string): void => {
    metrics.replayCompleteFailures.inc();
    logger.warn({ replay_key: key }, "claim was lost before the event was marked done; it is now at-least-once");
  };

  const retryComplete = (key: string, owner: string, deadline: number, wait = RETRY_FIRST_MS): void => {
    setTimeout(() => {
      Promise.resolve()
        .then(() => store.complete(key, owner, doneTtlMs))
        .then(
          (done) => (done ? logger.info({ replay_key: key }, "handled event marked done after a store outage") : lostClaim(key)),
          (error: unknown) => {
            if (Date.now() + wait < deadline) return retryComplete(key, owner, deadline, Math.min(wait * 2, RETRY_MAX_MS));
            metrics.replayCompleteFailures.inc();
            logger.error({ err: error, replay_key: key }, "could not mark a handled event done before its lease ended; it is now at-least-once");
          },
        );
    }, wait).unref();
  };

  return {
    claim(key) {
      let answer: MaybePromise<ClaimResult>;
      try {
        answer = store.claim(key, leaseMs);
      } catch (error) {
        throw unavailable(error);
      }
      return isThenable(answer) ? Promise.resolve(answer).catch((error: unknown) => Promise.reject(unavailable(error))) : answer;
    },
    complete(key, owner) {
      // The claim still holds the event (as "in progress") until its lease ends: on a failure,
      // keep trying to mark it done until then, so a store outage does not turn into a second run.
      const failed = (error: unknown): void => {
        logger.warn({ err: error, replay_key: key }, "could not mark a handled event done yet; retrying in the background");
        retryComplete(key, owner, Date.now() + leaseMs);
      };
      const settled = (done: boolean): void => {
        if (!done) lostClaim(key);
      };
      let answer: MaybePromise<boolean>;
      try {
        answer = store.complete(key, owner, doneTtlMs);
      } catch (error) {
        return failed(error);
      }
      if (isThenable(answer)) return Promise.resolve(answer).then(settled, failed);
      settled(answer);
    },
    async release(key, owner) {
      try {
        await store.release(key, owner);
      } catch (error) {
        logger.error({ err: error, replay_key: key }, "could not release a claim; it frees itself when its lease ends");
      }
    },
    holdUntil(key, owner, until) {
      const timer = setInterval(() => {
        Promise.resolve()
          .then(() => store.extend(key, owner, leaseMs))
          .catch((error: unknown) => logger.warn({ err: error, replay_key: key }, "could not extend a claim"));
      }, leaseMs / 2);
      timer.unref();
      void until.finally(() => clearInterval(timer));
    },
  };
}
