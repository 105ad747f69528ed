// Coded errors: every failure the receiver reports carries a stable `code` (README, "Status and error codes").

/** Every error code a client of the webhook endpoint can receive. */
export const ErrorCode = {
  MISSING_HEADER: "missing_header",
  MALFORMED_HEADER: "malformed_header",
  INVALID_PAYLOAD: "invalid_payload",
  INVALID_SIGNATURE: "invalid_signature",
  TIMESTAMP_OUT_OF_TOLERANCE: "timestamp_out_of_tolerance",
  DELIVERY_IN_PROGRESS: "delivery_in_progress",
  PAYLOAD_TOO_LARGE: "payload_too_large",
  UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
  RATE_LIMITED: "rate_limited",
  HANDLER_FAILED: "handler_failed",
  VERIFICATION_KEY_UNAVAILABLE: "verification_key_unavailable",
  REPLAY_STORE_UNAVAILABLE: "replay_store_unavailable",
  HANDLER_TIMEOUT: "handler_timeout",
  QUEUE_UNAVAILABLE: "queue_unavailable",
  FORBIDDEN_SOURCE: "forbidden_source",
  FORWARD_FAILED: "forward_failed",
} as const;

/** One of the stable error codes of README, "Status and error codes". */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class: a `code` callers and tests can rely on, never the message text. */
export class WebhookError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A delivery was rejected by the checks of the receive pipeline (headers, signature, body). */
export class DeliveryRejectedError extends WebhookError {
  declare readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/** The client's address is not in `ALLOWED_SOURCE_IPS` (README, "Source allowlist"): refused before its body is read. */
export class ForbiddenSourceError extends DeliveryRejectedError {
  constructor() {
    super(ErrorCode.FORBIDDEN_SOURCE, "this source address may not deliver webhooks here");
  }
}

/** The receiver could not finish a delivery for a reason on our side; the sender should retry. */
export class DeliveryFailedError extends WebhookError {
  declare readonly code: ErrorCode;
  /** Seconds the sender should wait before retrying, where it applies. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(code, message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Configuration is invalid; `variable` names the setting at fault. */
export class ConfigError extends WebhookError {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super("invalid_config", `${variable}: ${message}`);
    this.variable = variable;
  }
}
