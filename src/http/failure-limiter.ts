// The failure limit: answers 400/401/413/415 are counted per client in an express-rate-limit store;
// past the limit, every request of that client is refused until the window ends.
import type { Options, Store } from "express-rate-limit";
import type { Logger } from "pino";
import { WINDOW_MS, type LimitInfo } from "./rate-limit-answer.js";

/** Statuses that count against the failure limit (DESIGN.md section 10). */
const FAILURE_STATUSES = new Set([400, 401, 413, 415]);

/** Counts failed answers per client and says when a client is over the limit. */
export interface FailureLimiter {
  /** The client's standing when it is over the limit, else `undefined` (also when the store fails). */
  refused(key: string): Promise<LimitInfo | undefined>;
  /**
   * Counts the answer `status` when it is a failure status. Await it before answering, so the
   * client's next request already sees the count (a store error is swallowed: the count is
   * best effort, the answer is not).
   */
  record(key: string, status: number): Promise<void> | undefined;
  close(): void;
}

/**
 * Creates the limiter over `store` (memory, or Redis to share counts across instances). It counts
 * answers, not requests, so requests still in flight never count (unlike express-rate-limit's
 * `skipSuccessfulRequests`, which counts first and takes back later).
 */
export function createFailureLimiter(store: Store, limit: number, logger?: Logger): FailureLimiter {
  void Promise.resolve(store.init?.({ windowMs: WINDOW_MS } as Options)).catch(() => undefined);
  const storeFailed = (error: unknown): undefined => {
    logger?.debug({ err: error }, "failure limit store error; request not limited");
    return undefined;
  };
  return {
    async refused(key) {
      try {
        const info = await store.get?.(key);
        // rate-limit-redis reads a missing key as NaN hits: anything not a count at the limit passes.
        if (info === undefined || !(info.totalHits >= limit)) return undefined;
        return { limit, remaining: 0, resetTime: info.resetTime };
      } catch (error) {
        return storeFailed(error);
      }
    },
    record(key, status) {
      if (!FAILURE_STATUSES.has(status)) return undefined;
      return Promise.resolve()
        .then(() => store.increment(key))
        .then(() => undefined, storeFailed);
    },
    close() {
      void Promise.resolve(store.shutdown?.()).catch(() => undefined);
    },
  };
}
