// The failure of one forward, retryable or permanent, with the target's status and host (never the token).
import { ClassifiedHandlerError } from "../dispatch/classified-handler-error.js";
import { ErrorCode } from "../errors.js";

/** Forwarding an event to `FORWARD_URL` failed (code `forward_failed`). */
export class ForwardError extends ClassifiedHandlerError {
  /** The internal service's status, when it answered. */
  readonly status: number | undefined;
  /** The target's host (for logs; the URL's path and query are left out). */
  readonly host: string;

  constructor(
    message: string,
    options: ErrorOptions & { retryable: boolean; retryAfterMs?: number | undefined; status?: number | undefined; host: string },
  ) {
    super(ErrorCode.FORWARD_FAILED, message, options);
    this.status = options.status;
    this.host = options.host;
  }
}
