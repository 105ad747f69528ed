// Bounded Redis commands: every call answers or fails within its timeout, with a coded error.
import { WebhookError } from "../errors.js";

/** Codes of {@link RedisStoreError}. */
export const RedisErrorCode = {
  /** Redis did not answer within the command timeout (it may still apply the command later). */
  TIMEOUT: "redis_timeout",
  /** The client is disconnected or closed; the command was not sent. */
  OFFLINE: "redis_offline",
  /** Redis answered with an error, or the connection broke while waiting for the answer. */
  FAILED: "redis_failed",
} as const;

/** One of {@link RedisErrorCode}. */
export type RedisErrorCode = (typeof RedisErrorCode)[keyof typeof RedisErrorCode];

/**
 * A Redis command that did not succeed. The replay guard turns any store failure into 503
 * `replay_store_unavailable`; the code here says why, for logs and tests.
 */
export class RedisStoreError extends WebhookError {
  declare readonly code: RedisErrorCode;

  constructor(code: RedisErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

const OFFLINE_ERRORS = new Set(["ClientOfflineError", "ClientClosedError"]);

function toStoreError(error: unknown, what: string): RedisStoreError {
  if (error instanceof RedisStoreError) return error;
  if (!(error instanceof Error)) return new RedisStoreError(RedisErrorCode.FAILED, `redis ${what} failed`, { cause: error });
  const code = OFFLINE_ERRORS.has(error.constructor.name) ? RedisErrorCode.OFFLINE : RedisErrorCode.FAILED;
  // Keep Redis's own message: callers match it (`NOSCRIPT ...`). It never holds the URL.
  return new RedisStoreError(code, error.message, { cause: error });
}

/**
 * Settles with `operation`, or rejects with `redis_timeout` after `timeoutMs`. node-redis's own
 * per-command timeout only covers commands not yet written to the socket, so a Redis that
 * accepted a command and then hangs (`DEBUG SLEEP`, `CLIENT PAUSE`, a stalled network) would hang
 * the caller; this bound does not depend on the server.
 * `onAnswer` runs when Redis answers in time, before the caller resumes; it cannot fail the command.
 * @throws RedisStoreError `redis_timeout`, `redis_offline` or `redis_failed`
 */
export function withTimeout<T>(operation: Promise<T>, timeoutMs: number, what: string, onAnswer?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RedisStoreError(RedisErrorCode.TIMEOUT, `redis ${what} got no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    operation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
        try {
          onAnswer?.();
        } catch {
          // A hook's failure is not the command's: the caller has its answer already.
        }
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(toStoreError(error, what));
      },
    );
  });
}
