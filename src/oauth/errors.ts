// Coded errors of the client-credentials token flow (README, "Connecting to a real provider"); never carry a secret or token.
import { WebhookError } from "../errors.js";

/**
 * Codes of token failures: always one of these. An authorization server's OAuth error is
 * `token_request_rejected`, with its RFC 6749 section 5.2 value in {@link TokenError.error}
 * (`invalid_client`, `invalid_scope`, `unauthorized_client`, `invalid_grant`, ...), as
 * oauth4webapi separates its own codes from the server's.
 */
export const TokenErrorCode = {
  /** The authorization server refused the request (400 / 401 with an RFC 6749 `error`). */
  TOKEN_REQUEST_REJECTED: "token_request_rejected",
  /** Network error or 5xx / 429 from the token endpoint (after the retries). */
  TOKEN_REQUEST_FAILED: "token_request_failed",
  /** The per-request timeout fired (after the retries). */
  TOKEN_REQUEST_TIMEOUT: "token_request_timeout",
  /** A 2xx answer that is not a valid bearer token response. */
  INVALID_TOKEN_RESPONSE: "invalid_token_response",
  /** The granted `scope` lacks a required scope. */
  INSUFFICIENT_SCOPE: "insufficient_scope",
  /** The provider was closed. */
  TOKEN_PROVIDER_CLOSED: "token_provider_closed",
} as const;

/** Everything a {@link TokenError} can say about a failed token request. */
export interface TokenErrorDetails {
  /** The authorization server's RFC 6749 `error` value, when it sent one. */
  readonly error?: string;
  /** HTTP status of the token endpoint's answer, when there was one. */
  readonly status?: number;
  /** Whether trying again later can help (network errors, timeouts, 5xx, 429). */
  readonly retryable?: boolean;
  /** Milliseconds the server asked us to wait (`Retry-After`), when it did. */
  readonly retryAfterMs?: number;
  /** A sanitized cause (never an oauth4webapi error, whose `cause` may hold the token response). */
  readonly cause?: Error;
}

/** One of {@link TokenErrorCode}. */
export type TokenErrorCode = (typeof TokenErrorCode)[keyof typeof TokenErrorCode];

/**
 * A token could not be obtained. `code` is one of {@link TokenErrorCode}; `error` carries the
 * RFC 6749 value returned by the authorization server, when there was one. The message never
 * contains the client secret, the client assertion, the private key or an access token.
 */
export class TokenError extends WebhookError {
  declare readonly code: TokenErrorCode;
  /** The authorization server's RFC 6749 `error` value (`invalid_client`, ...), when it sent one. */
  readonly error: string | undefined;
  /** HTTP status of the token endpoint's answer, when there was one. */
  readonly status: number | undefined;
  /** Whether a retry can help. */
  readonly retryable: boolean;
  /** Milliseconds the server asked us to wait, when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(code: TokenErrorCode, message: string, details: TokenErrorDetails = {}) {
    super(code, message, details.cause ? { cause: details.cause } : undefined);
    this.error = details.error;
    this.status = details.status;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A sanitized stand-in for a transport error: keeps its name, system code and message only. */
export function sanitizeCause(error: unknown): Error {
  const source = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const copy = new Error(source instanceof Error ? source.message : String(source));
  if (source instanceof Error) copy.name = source.name;
  const code = (source as { code?: unknown } | null)?.code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}
