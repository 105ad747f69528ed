// The replay store contract (docs/ARCHITECTURE.md, "Replay stores"): claim / extend / complete / release, owner-checked.
import type { MaybePromise } from "../maybe-promise.js";

/** A value or a promise of it: the memory store answers synchronously, Redis asynchronously. */
export type { MaybePromise } from "../maybe-promise.js";

/** The answer to a claim. */
export type ClaimResult =
  | { readonly status: "claimed"; readonly owner: string }
  | { readonly status: "duplicate" }
  | { readonly status: "in_progress" };

/**
 * Where the receiver remembers which events it has handled. Only the owner of a claim (the
 * token `claim` returned) may extend, complete or release it, so a slow instance can never
 * undo another's work.
 */
export interface ReplayStore {
  /** Claims `key` for `leaseMs` unless it is done (`duplicate`) or claimed (`in_progress`). */
  claim(key: string, leaseMs: number): MaybePromise<ClaimResult>;
  /** Extends a claim still in progress; false when `owner` no longer holds it. */
  extend(key: string, owner: string, leaseMs: number): MaybePromise<boolean>;
  /** Marks the event done for `ttlMs`; false when `owner` no longer holds the claim. */
  complete(key: string, owner: string, ttlMs: number): MaybePromise<boolean>;
  /** Forgets a claim so a retry can run; false when `owner` no longer holds it. */
  release(key: string, owner: string): MaybePromise<boolean>;
  /** Whether the store can answer now (for `/readyz`). */
  readiness(): MaybePromise<{ readonly ready: boolean; readonly reason?: string }>;
  /** Closes connections and timers. */
  close(): Promise<void>;
}
