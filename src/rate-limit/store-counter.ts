// The counter over express-rate-limit stores: its MemoryStore by default, or any store of that
// ecosystem (one store per limiter).
import { MemoryStore, type ClientRateLimitInfo, type Options, type Store } from "express-rate-limit";
import type { ClientStanding, CountedLimits, RateLimitCounter, RateLimitCounterFactory, RateLimiterName, WindowCount } from "./rate-limit-counter.js";

/** Makes the store of one limiter. */
export type RateLimitStoreFactory = (limiter: RateLimiterName) => Store;

const memoryStores: RateLimitStoreFactory = () => new MemoryStore();

function toCount(info: ClientRateLimitInfo | undefined): WindowCount {
  // A missing key is a count of 0 (some stores, rate-limit-redis among them, read one as NaN hits).
  const hits = info !== undefined && Number.isFinite(info.totalHits) ? info.totalHits : 0;
  return { hits, resetAt: info?.resetTime?.getTime() };
}

/**
 * Counter factory over express-rate-limit stores made by `makeStore` (memory by default). The
 * request count is an `increment`, the failure count a `get`, sent together.
 */
export function storeCounter(makeStore: RateLimitStoreFactory = memoryStores): RateLimitCounterFactory {
  return (limits: CountedLimits, onError: (error: unknown) => void): RateLimitCounter => {
    const requests = limits.requests ? makeStore("requests") : undefined;
    const failures = limits.failures ? makeStore("failures") : undefined;
    const stores = [requests, failures].filter((store): store is Store => store !== undefined);
    // Synchronously: the memory store needs its window before the first request counts.
    for (const store of stores) {
      try {
        void Promise.resolve(store.init?.({ windowMs: limits.windowMs } as Options)).catch(onError);
      } catch (error) {
        onError(error);
      }
    }
    /** Reads one store call as a count; a failing store (thrown or rejected) reads as "not counted". */
    const count = (call: () => Promise<ClientRateLimitInfo | undefined> | ClientRateLimitInfo | undefined): Promise<WindowCount | undefined> => {
      try {
        return Promise.resolve(call()).then(toCount, (error: unknown) => void onError(error));
      } catch (error) {
        onError(error);
        return Promise.resolve(undefined);
      }
    };
    const getFailures = failures?.get?.bind(failures);
    return {
      async countRequest(key: string): Promise<ClientStanding> {
        const counting = requests === undefined ? undefined : count(() => requests.increment(key));
        const reading = getFailures === undefined ? undefined : count(() => getFailures(key));
        return { requests: await counting, failures: await reading };
      },
      async countFailure(key: string): Promise<void> {
        if (failures === undefined) return;
        try {
          await failures.increment(key);
        } catch (error) {
          onError(error);
        }
      },
      close() {
        for (const store of stores) void Promise.resolve(store.shutdown?.()).catch(() => undefined);
      },
    };
  };
}
