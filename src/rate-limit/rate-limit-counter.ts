// Where the per-client counts of both rate limiters live: the contract every backend meets.
import type { MaybePromise } from "../maybe-promise.js";

/** Which limiter a count is for (the counts of different limiters never share keys). */
export type RateLimiterName = "requests" | "failures";

/** One client's count in the current one-minute window. */
export interface WindowCount {
  readonly hits: number;
  /** When the window ends, ms since the epoch (undefined when the backend cannot say). */
  readonly resetAt: number | undefined;
}

/** Where one client stands after its request was counted. */
export interface ClientStanding {
  /** Requests in the window, this one included; undefined when not counted (disabled, or the backend failed). */
  readonly requests: WindowCount | undefined;
  /** Failed answers in the window; undefined when not read (disabled, or the backend failed). */
  readonly failures: WindowCount | undefined;
}

/** Which of the two counts a counter keeps (a limit of 0 keeps none). */
export interface CountedLimits {
  readonly requests: boolean;
  readonly failures: boolean;
  /** Length of a window, ms. */
  readonly windowMs: number;
  /**
   * The limits themselves, for counters that count locally while a client is far below them
   * (the Redis counter with a sync interval); counters that always count remotely ignore them.
   */
  readonly requestsPerWindow?: number | undefined;
  readonly failuresPerWindow?: number | undefined;
}


/**
 * The counts of both limiters. `countRequest` counts a request and reads the failure count in
 * one step (at most one round trip on a remote backend; none when the counter counts locally,
 * answering synchronously): it is on every request's path. Neither method
 * throws or rejects: a backend failure reads as "not counted" (requests then pass: the replay
 * store fails closed on its own) and is reported through the counter's `onError`.
 */
export interface RateLimitCounter {
  countRequest(key: string): MaybePromise<ClientStanding>;
  countFailure(key: string): MaybePromise<void>;
  /** Sends what the counter counted locally now (counters that count nothing locally need not have it). */
  flush?(): Promise<void>;
  close(): void;
}

/** Makes the counter of a receiver, for the limits it keeps. */
export type RateLimitCounterFactory = (limits: CountedLimits, onError: (error: unknown) => void) => RateLimitCounter;
