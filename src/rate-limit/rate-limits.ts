// The two per-client limits of README, "Configuration" as policy over a counter: every request
// counts toward the request limit; failed answers toward the failure limit, past which every
// request of that client is refused until its window ends.
import type { Logger } from "pino";
import { memoryCounter } from "./memory-counter.js";
import { isThenable, thenMaybe, type MaybePromise } from "../maybe-promise.js";
import type { ClientStanding, RateLimitCounterFactory } from "./rate-limit-counter.js";

/** The rate-limit window: one minute (limits are per minute). */
export const WINDOW_MS = 60_000;

/** Where a client stands against the limit that refused it. */
export interface LimitInfo {
  readonly limit: number;
  readonly remaining: number;
  /** When its window ends, ms since the epoch. */
  readonly resetAt?: number | undefined;
}

/** Statuses that count against the failure limit (README, "Configuration"). */
const FAILURE_STATUSES = new Set([400, 401, 413, 415]);

/** Options of {@link createRateLimits}. */
export interface RateLimitOptions {
  /** Requests per minute per client; 0 disables. */
  readonly perMinute: number;
  /** Failed answers per minute per client before all its requests get 429; 0 disables. */
  readonly failuresPerMinute: number;
  /** Where counts live. Defaults to memory (per instance). */
  readonly counter?: RateLimitCounterFactory | undefined;
  readonly logger?: Logger | undefined;
}

/** The limits as the webhook route uses them. */
export interface RateLimits {
  /**
   * Counts a request of client `key` and resolves to the limit it is over, or `undefined` when
   * it may proceed (also when the counter failed); synchronously when the counter answers so.
   */
  admit(key: string): MaybePromise<LimitInfo | undefined>;
  /**
   * Counts the answer `status` when it is a failure status. Await it before answering, so the
   * client's next request already sees the count (a counter failure is swallowed).
   */
  recordFailure(key: string, status: number): MaybePromise<void>;
  close(): void;
}

/** The refusal `standing` earns, if any: the request limit first, then the failure limit. */
export function refusalFor(standing: ClientStanding, perMinute: number, failuresPerMinute: number): LimitInfo | undefined {
  const { requests, failures } = standing;
  if (perMinute > 0 && requests !== undefined && requests.hits > perMinute) {
    return { limit: perMinute, remaining: 0, resetAt: requests.resetAt };
  }
  if (failuresPerMinute > 0 && failures !== undefined && failures.hits >= failuresPerMinute) {
    return { limit: failuresPerMinute, remaining: 0, resetAt: failures.resetAt };
  }
  return undefined;
}

/**
 * Creates the limits. With a shared counter (Redis) they hold across instances; when the counter
 * fails, requests pass (logged at debug: the connection logs the outage once).
 */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const { perMinute, failuresPerMinute, logger } = options;
  if (perMinute === 0 && failuresPerMinute === 0) {
    return { admit: () => undefined, recordFailure: () => undefined, close: () => undefined };
  }
  const onError = (error: unknown): void => logger?.debug({ err: error }, "rate limit store error; request not limited");
  const makeCounter = options.counter ?? memoryCounter();
  const counter = makeCounter(
    { requests: perMinute > 0, failures: failuresPerMinute > 0, windowMs: WINDOW_MS, requestsPerWindow: perMinute, failuresPerWindow: failuresPerMinute },
    onError,
  );
  const judge = (standing: ClientStanding): LimitInfo | undefined => refusalFor(standing, perMinute, failuresPerMinute);
  // Counters promise never to fail, but a custom one might: a failing counter limits nothing
  // (as a failing store did with express-rate-limit's passOnStoreError), it never turns an
  // answer into a 500.
  const passed = (error: unknown): undefined => {
    onError(error);
    return undefined;
  };
  return {
    admit(key) {
      try {
        const standing = counter.countRequest(key);
        return thenMaybe(standing, judge, passed);
      } catch (error) {
        return passed(error);
      }
    },
    recordFailure(key, status) {
      if (failuresPerMinute === 0 || !FAILURE_STATUSES.has(status)) return undefined;
      try {
        const counting = counter.countFailure(key);
        return isThenable(counting) ? Promise.resolve(counting).then(undefined, passed) : undefined;
      } catch (error) {
        return passed(error);
      }
    },
    close: () => counter.close(),
  };
}
