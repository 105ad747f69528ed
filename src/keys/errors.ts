// Coded errors of the provider's key endpoint (README, "Connecting to a real provider"); never carry a token or a key.
import { WebhookError } from "../errors.js";

/** Why a key fetch failed. */
export const KeyEndpointErrorCode = {
  /** 401 even with a freshly obtained token. */
  UNAUTHORIZED: "key_endpoint_unauthorized",
  /** Any other non-2xx answer. */
  HTTP_ERROR: "key_endpoint_http_error",
  /** Network error. */
  UNREACHABLE: "key_endpoint_unreachable",
  /** The per-request timeout fired. */
  TIMEOUT: "key_endpoint_timeout",
  /** The body is not one of the accepted shapes, carries unusable key material, or is too large. */
  INVALID_RESPONSE: "invalid_key_response",
  /** No token could be obtained for the key endpoint. */
  TOKEN_UNAVAILABLE: "token_unavailable",
} as const;

/** One of {@link KeyEndpointErrorCode}. */
export type KeyEndpointErrorCode = (typeof KeyEndpointErrorCode)[keyof typeof KeyEndpointErrorCode];

/** A key fetch failed; `code` says why, `status` carries the HTTP status when there was one. */
export class KeyEndpointError extends WebhookError {
  declare readonly code: KeyEndpointErrorCode;
  readonly status: number | undefined;

  constructor(code: KeyEndpointErrorCode, message: string, options?: ErrorOptions & { status?: number }) {
    super(code, message, options);
    this.status = options?.status;
  }
}
