// A handler failure that knows whether a later try can pass: the forward handler's (README, "Forwarding to an internal service").
import { WebhookError } from "../errors.js";

/**
 * A handler error that says whether the same event may succeed later. When every failure of a
 * delivery is retryable the sender gets 503 (inline) and the job retries (queue); when every one
 * is permanent the job is dead lettered at once. Any other error keeps the plain handler_failed path.
 */
export class ClassifiedHandlerError extends WebhookError {
  /** True when a later try may pass (the target was down, slow or busy). */
  readonly retryable: boolean;
  /** How long the target asked us to wait (`Retry-After`), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: ErrorOptions & { retryable: boolean; retryAfterMs?: number | undefined }) {
    super(code, message, options);
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
