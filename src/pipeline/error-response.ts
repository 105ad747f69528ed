// The one place where errors become HTTP answers (README, "Status and error codes").
import { DeliveryFailedError, DeliveryRejectedError, ErrorCode } from "../errors.js";
import { HandlerFailedError } from "../dispatch/handler-failed-error.js";

/** HTTP status of every error code. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  missing_header: 400,
  malformed_header: 400,
  invalid_payload: 400,
  invalid_signature: 401,
  timestamp_out_of_tolerance: 401,
  forbidden_source: 403,
  delivery_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  handler_failed: 500,
  verification_key_unavailable: 503,
  replay_store_unavailable: 503,
  handler_timeout: 503,
  queue_unavailable: 503,
  forward_failed: 503,
};

/** Code for failures of our own that no other code describes (a bug, never a client's fault). */
export const INTERNAL_ERROR = "internal_error";

/** An error as the sender sees it. */
export interface ErrorResponse {
  readonly status: number;
  readonly code: string;
  readonly body: { readonly error: string; readonly message: string };
  readonly retryAfterSeconds: number | undefined;
}

const DEFAULT_RETRY_AFTER: Partial<Record<string, number>> = {
  verification_key_unavailable: 5,
  replay_store_unavailable: 2,
  queue_unavailable: 2,
  handler_timeout: 5,
  forward_failed: 5,
  delivery_in_progress: 5,
};

/**
 * Maps any thrown value to the JSON answer. Messages of our coded errors are written for the
 * sender and never carry a key, signature, token or stack; anything else is `internal_error`.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HandlerFailedError) {
    if (error.retryable) {
      // The internal service of FORWARD_URL was down, slow or busy: the sender retries.
      const waitMs = error.retryAfterMs;
      return make(ErrorCode.FORWARD_FAILED, "forwarding the event failed; retry later", waitMs === undefined ? undefined : Math.min(3600, Math.max(1, Math.ceil(waitMs / 1000))));
    }
    return make(ErrorCode.HANDLER_FAILED, "a handler failed; retry later", undefined);
  }
  // Only our delivery errors carry sender-facing codes; any other coded error (a token endpoint's
  // `error` value, say) is ours to log, never a status to repeat.
  const delivery = error instanceof DeliveryRejectedError || error instanceof DeliveryFailedError;
  if (delivery && Object.hasOwn(STATUS_BY_CODE, error.code)) {
    const retryAfter = error instanceof DeliveryFailedError ? error.retryAfterSeconds : undefined;
    return make(error.code, error.message, retryAfter);
  }
  return {
    status: 500,
    code: INTERNAL_ERROR,
    body: { error: INTERNAL_ERROR, message: "the receiver failed; retry later" },
    retryAfterSeconds: undefined,
  };
}

function make(code: ErrorCode, message: string, retryAfter: number | undefined): ErrorResponse {
  return {
    status: STATUS_BY_CODE[code],
    code,
    body: { error: code, message },
    retryAfterSeconds: retryAfter ?? DEFAULT_RETRY_AFTER[code],
  };
}
