// The single-instance replay store: an lru-cache bounded by entry count, synchronous operations.
import { LRUCache } from "lru-cache";
import { systemClock, type Clock } from "../clock.js";
import type { ClaimResult, ReplayStore } from "./replay-store.js";

interface Entry {
  /** The claim's owner token; empty once done. */
  owner: string;
  done: boolean;
}

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most entries kept; the least recently used go first. Defaults to 100000. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
  /**
   * Called when a live entry is pushed out to make room: that event could then be replayed
   * within the time window, so the service counts and logs it.
   */
  readonly onEvict?: (key: string) => void;
}

const DUPLICATE: ClaimResult = { status: "duplicate" };
const IN_PROGRESS: ClaimResult = { status: "in_progress" };

/**
 * Creates the memory store. Entries expire by their own TTL (a lease, or 2 x tolerance once
 * done); when full, the least recently used live entry is evicted and `onEvict` called.
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const clock = options.clock ?? systemClock;
  const onEvict = options.onEvict;
  const cache = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 100_000,
    ttlAutopurge: false,
    perf: { now: () => clock.now() },
    // Read the clock on every check: lru-cache otherwise reuses one reading for 1 ms of real time.
    ttlResolution: 0,
    ...(onEvict && {
      dispose: (_value: Entry, key: string, reason: LRUCache.DisposeReason) => {
        if (reason === "evict") onEvict(key);
      },
    }),
  });
  let sequence = 0;

  const owned = (key: string, owner: string): Entry | undefined => {
    const entry = cache.get(key);
    return entry !== undefined && !entry.done && entry.owner === owner ? entry : undefined;
  };

  return {
    claim(key, leaseMs) {
      const entry = cache.get(key);
      if (entry !== undefined) return entry.done ? DUPLICATE : IN_PROGRESS;
      const owner = String(++sequence);
      cache.set(key, { owner, done: false }, { ttl: leaseMs });
      return { status: "claimed", owner };
    },
    extend(key, owner, leaseMs) {
      const entry = owned(key, owner);
      if (entry === undefined) return false;
      cache.set(key, entry, { ttl: leaseMs });
      return true;
    },
    complete(key, owner, ttlMs) {
      if (owned(key, owner) === undefined) return false;
      cache.set(key, { owner: "", done: true }, { ttl: ttlMs });
      return true;
    },
    release(key, owner) {
      if (owned(key, owner) === undefined) return false;
      cache.delete(key);
      return true;
    },
    readiness: () => ({ ready: true }),
    close: () => {
      cache.clear();
      return Promise.resolve();
    },
  };
}
