// Bounded retry loop for token requests: backoff with full jitter, Retry-After, count and time limits.
import { backoffDelayMs } from "../backoff.js";
import { TokenError, TokenErrorCode } from "./errors.js";

/** Limits and collaborators of {@link withRetries}. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly maxTotalMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Fires when the owner closes: stops waits and requests at once. */
  readonly closed: AbortSignal;
  /** Told before each wait (for logs). */
  readonly onRetry?: (error: TokenError, retry: number, delayMs: number) => void;
}

/**
 * Runs `attempt` with a fresh per-attempt timeout signal until it succeeds, fails with a
 * non-retryable {@link TokenError} (400 / 401 ...), or the retry count or total time is spent.
 * A `Retry-After` longer than the backoff is honoured; one that would overrun `maxTotalMs` ends
 * the loop at once. The last error is rethrown.
 */
export async function withRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const deadline = policy.now() + policy.maxTotalMs;
  for (let retry = 0; ; retry++) {
    if (policy.closed.aborted) throw closedError();
    const remaining = deadline - policy.now();
    const signal = AbortSignal.any([policy.closed, AbortSignal.timeout(Math.max(1, Math.min(policy.timeoutMs, remaining)))]);
    try {
      return await attempt(signal);
    } catch (error) {
      if (policy.closed.aborted) throw closedError();
      if (!(error instanceof TokenError) || !error.retryable || retry >= policy.maxRetries) throw error;
      const jittered = backoffDelayMs(retry, policy.baseDelayMs, policy.maxDelayMs, policy.random);
      const delay = Math.max(jittered, error.retryAfterMs ?? 0);
      if (policy.now() + delay >= deadline) throw error;
      policy.onRetry?.(error, retry + 1, delay);
      await policy.sleep(delay, policy.closed).catch(() => undefined);
    }
  }
}

function closedError(): TokenError {
  return new TokenError(TokenErrorCode.TOKEN_PROVIDER_CLOSED, "token provider closed");
}

/** A real wait that ends early (resolving) when `signal` fires; its timer never holds the process open. */
export function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
