// The counter of one instance: fixed windows per client in two bounded lru-caches, synchronous.
import { LRUCache } from "lru-cache";
import { systemClock, type Clock } from "../clock.js";
import type { ClientStanding, CountedLimits, RateLimitCounter, RateLimitCounterFactory, WindowCount } from "./rate-limit-counter.js";

interface Window {
  hits: number;
  /** When the window ends, ms since the epoch. */
  readonly resetAt: number;
}

/** Options of {@link memoryCounter}. */
export interface MemoryCounterOptions {
  /** Clients tracked per limiter; past it the least recently seen are forgotten. Defaults to 100000. */
  readonly maxClients?: number;
  readonly clock?: Clock;
}

/**
 * Counter factory keeping counts in this process. Each call answers synchronously with the
 * count as it stood after this very request (concurrent requests never read each other's), and
 * memory stays bounded by `maxClients` whatever the number of addresses a flood comes from.
 */
export function memoryCounter(options: MemoryCounterOptions = {}): RateLimitCounterFactory {
  const clock = options.clock ?? systemClock;
  const max = options.maxClients ?? 100_000;
  return (limits: CountedLimits): RateLimitCounter => {
    const requests = limits.requests ? new LRUCache<string, Window>({ max }) : undefined;
    const failures = limits.failures ? new LRUCache<string, Window>({ max }) : undefined;

    /** The client's live window, a new one when its last ended (or none when `open` is false). */
    const current = (windows: LRUCache<string, Window>, key: string, now: number, open: boolean): Window | undefined => {
      const window = windows.get(key);
      if (window !== undefined && window.resetAt > now) return window;
      if (!open) return undefined;
      const fresh = { hits: 0, resetAt: now + limits.windowMs };
      windows.set(key, fresh);
      return fresh;
    };
    const snapshot = (window: Window | undefined): WindowCount => ({
      hits: window?.hits ?? 0,
      resetAt: window?.resetAt,
    });

    return {
      countRequest(key: string): ClientStanding {
        const now = clock.now();
        let counted: WindowCount | undefined;
        if (requests !== undefined) {
          const window = current(requests, key, now, true) as Window;
          window.hits += 1;
          counted = snapshot(window);
        }
        return { requests: counted, failures: failures && snapshot(current(failures, key, now, false)) };
      },
      countFailure(key: string): void {
        if (failures !== undefined) (current(failures, key, clock.now(), true) as Window).hits += 1;
      },
      close() {
        requests?.clear();
        failures?.clear();
      },
    };
  };
}
