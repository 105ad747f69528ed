// The single-instance replay store: an lru-cache bounded by entry count, synchronous operations.
import { LRUCache } from "lru-cache";
import { systemClock, type Clock } from "../clock.js";
import type { ClaimResult, ReplayStore } from "./replay-store.js";

/**
 * An entry is its claim's owner token, or {@link DONE} once handled: a string rather than an
 * object, so the up to `maxEntries` retained entries cost the collector nothing to allocate or trace.
 */
type Entry = string;

/** The entry of a handled event. Owner tokens are never empty. */
const DONE: Entry = "";

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most entries kept; the least recently used go first. Defaults to 100000. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
  /**
   * Called when an entry that had not expired yet (a claim, or a done mark younger than its
   * retention) is pushed out to make room: that event could then be handled again, so the
   * service counts it and warns that dedupe is shorter than configured.
   */
  readonly onEvict?: (key: string) => void;
}

const DUPLICATE: ClaimResult = { status: "duplicate" };
const IN_PROGRESS: ClaimResult = { status: "in_progress" };

/**
 * Creates the memory store. Entries expire by their own TTL (a lease, or the retention once
 * done); when full, the least recently used entry is evicted and, if it was live, `onEvict` called.
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
        // Still indexed while disposed: a stale entry (already past its ttl) loses nothing.
        if (reason === "evict" && cache.getRemainingTTL(key) > 0) onEvict(key);
      },
    }),
  });
  let sequence = 0;

  /** Whether `owner` holds the claim on `key` (a claim, not a done entry). */
  const owned = (key: string, owner: string): boolean => owner !== DONE && cache.get(key) === owner;

  return {
    claim(key, leaseMs) {
      const entry = cache.get(key);
      if (entry !== undefined) return entry === DONE ? DUPLICATE : IN_PROGRESS;
      const owner = String(++sequence);
      cache.set(key, owner, { ttl: leaseMs });
      return { status: "claimed", owner };
    },
    extend(key, owner, leaseMs) {
      if (!owned(key, owner)) return false;
      cache.set(key, owner, { ttl: leaseMs });
      return true;
    },
    complete(key, owner, ttlMs) {
      if (!owned(key, owner)) return false;
      cache.set(key, DONE, { ttl: ttlMs });
      return true;
    },
    release(key, owner) {
      if (!owned(key, owner)) return false;
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
