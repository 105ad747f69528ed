// The replay guard around a store: store failures become `replay_store_unavailable`, leases and ttls derive from config.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import { isThenable, thenMaybe, type MaybePromise } from "../maybe-promise.js";
import type { ClaimResult, ReplayStore } from "../replay/replay-store.js";
import { doneTtlMs, extendEveryMsFor, type RetentionPolicy } from "../replay/replay-policy.js";
import type { ReceiverMetrics } from "../observability/metrics.js";

/** Claim / complete / release with the receiver's policy. */
export interface ReplayGuard {
  /** @throws DeliveryFailedError `replay_store_unavailable` */
  claim(key: string): MaybePromise<ClaimResult>;
  /**
   * Marks done for the retention (and at least until the freshness window of a delivery signed
   * at `signedAtSeconds` closes); a failure is logged and counted, never thrown (the event was
   * handled). Synchronous when the store is (the memory store): nothing to await on the hot path.
   */
  complete(key: string, owner: string, signedAtSeconds: number): MaybePromise<void>;
  /** Forgets the claim so a retry can run; a failure is logged (the lease then expires). */
  release(key: string, owner: string): Promise<void>;
  /**
   * Keeps the claim of a handler that outlived its timeout: extends it at once, then every
   * third of a lease, until `until` settles. A failed extension is logged at error and counted.
   */
  holdUntil(key: string, owner: string, until: Promise<unknown>): void;
  /**
   * Makes sure `key` is marked done (queue mode, before a worker runs the event): completes the
   * claim of `owner` (a receiver that died before marking it), or claims and completes a key whose
   * entry is gone. Nothing to do when it is done already; failures are logged, never thrown.
   */
  seal(key: string, owner: string, signedAtSeconds: number): Promise<void>;
}

/** Options of {@link createReplayGuard}. */
export interface ReplayGuardOptions extends RetentionPolicy {
  readonly store: ReplayStore;
  readonly leaseMs: number;
  readonly clock: Clock;
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
  const { store, leaseMs, clock, logger, metrics } = options;

  const lostClaim = (key: string): void => {
    metrics.replayCompleteFailures.inc();
    logger.warn({ replay_key: key }, "claim was lost before the event was marked done; it is now at-least-once");
  };

  const retryComplete = (key: string, owner: string, ttlMs: number, deadline: number, wait = RETRY_FIRST_MS): void => {
    setTimeout(() => {
      Promise.resolve()
        .then(() => store.complete(key, owner, ttlMs))
        .then(
          (done) => (done ? logger.info({ replay_key: key }, "handled event marked done after a store outage") : lostClaim(key)),
          (error: unknown) => {
            if (clock.now() + wait < deadline) return retryComplete(key, owner, ttlMs, deadline, Math.min(wait * 2, RETRY_MAX_MS));
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
    complete(key, owner, signedAtSeconds) {
      const ttlMs = doneTtlMs(options, signedAtSeconds, clock.now());
      // The claim still holds the event (as "in progress") until its lease ends: on a failure,
      // keep trying to mark it done until then, so a store outage does not turn into a second run.
      const failed = (error: unknown): void => {
        logger.warn({ err: error, replay_key: key }, "could not mark a handled event done yet; retrying in the background");
        retryComplete(key, owner, ttlMs, clock.now() + leaseMs);
      };
      const settled = (done: boolean): void => {
        if (!done) lostClaim(key);
      };
      let answer: MaybePromise<boolean>;
      try {
        answer = store.complete(key, owner, ttlMs);
      } catch (error) {
        return failed(error);
      }
      return thenMaybe(answer, settled, failed);
    },
    async release(key, owner) {
      try {
        await store.release(key, owner);
      } catch (error) {
        logger.error({ err: error, replay_key: key }, "could not release a claim; it frees itself when its lease ends");
      }
    },
    async seal(key, owner, signedAtSeconds) {
      try {
        const claim = await store.claim(key, leaseMs);
        if (claim.status === "duplicate") return;
        const holder = claim.status === "claimed" ? claim.owner : owner;
        // False when another receiver holds the claim now: it finds the job and marks it done.
        await store.complete(key, holder, doneTtlMs(options, signedAtSeconds, clock.now()));
      } catch (error) {
        logger.warn({ err: error, replay_key: key }, "could not make sure a queued event is marked done");
      }
    },
    holdUntil(key, owner, until) {
      let settled = false;
      const failedExtension = (why: string, error?: unknown): void => {
        if (settled) return;
        metrics.replayLostClaims.inc();
        logger.error({ err: error, replay_key: key }, why);
      };
      const extend = (): void => {
        Promise.resolve()
          .then(() => store.extend(key, owner, leaseMs))
          .then(
            (held) => {
              if (held) return;
              clearInterval(timer); // Another claim holds the key now: extending is pointless.
              failedExtension("the claim of a handler still running was lost: a retry may run the event again");
            },
            (error: unknown) => failedExtension("could not extend the claim of a handler still running", error),
          );
      };
      const timer = setInterval(extend, extendEveryMsFor(leaseMs));
      timer.unref();
      extend();
      void until.finally(() => {
        settled = true;
        clearInterval(timer);
      });
    },
  };
}
