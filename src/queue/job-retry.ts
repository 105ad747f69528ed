// How long a failed job waits before its next attempt: JOB_BACKOFF_MS doubling, capped at one hour, light jitter.
import { lightJitterDelayMs } from "../backoff.js";
import { HandlerFailedError } from "../dispatch/handler-failed-error.js";

/** The longest wait between two attempts of a job. */
export const JOB_RETRY_MAX_MS = 3_600_000;

/** The name of the backoff strategy the queue's jobs ask for and its workers provide. */
export const JOB_BACKOFF_TYPE = "webhook";

/**
 * The wait before the next attempt after `attemptsMade` failed ones (1 after the first failure):
 * `baseMs`, `2 x baseMs`, `4 x baseMs`, ... at most an hour, less up to a fifth of it at random.
 */
export function jobRetryDelayMs(attemptsMade: number, baseMs: number, random: () => number = Math.random): number {
  return lightJitterDelayMs(Math.max(0, attemptsMade - 1), baseMs, JOB_RETRY_MAX_MS, random);
}

/**
 * The wait after a failed attempt: {@link jobRetryDelayMs}, or longer when the failure asked for
 * it (a forward's `Retry-After`, carried by a `HandlerFailedError`), at most an hour.
 */
export function jobRetryDelayAfter(attemptsMade: number, baseMs: number, error: Error | undefined, random: () => number = Math.random): number {
  const asked = error instanceof HandlerFailedError ? (error.retryAfterMs ?? 0) : 0;
  return Math.min(JOB_RETRY_MAX_MS, Math.max(jobRetryDelayMs(attemptsMade, baseMs, random), asked));
}
