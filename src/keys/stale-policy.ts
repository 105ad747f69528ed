// Which failed key loads let cached keys keep serving past their life, and which end it.
import { KeyEndpointError, KeyEndpointErrorCode } from "./errors.js";

/**
 * Whether cached keys may keep serving (up to `WEBHOOK_KEY_STALE_SECONDS`) after `error`: yes
 * when the provider could not answer (transport errors, timeouts, 5xx, 429, a token endpoint
 * that is down) or served malformed keys (never replacing good ones); no when it answered "no"
 * (401 to a fresh token, 403, 404, a refused client), since that may be a revocation.
 */
export function servesStaleAfter(error: unknown): boolean {
  if (!(error instanceof KeyEndpointError)) return true;
  switch (error.code) {
    case KeyEndpointErrorCode.UNREACHABLE:
    case KeyEndpointErrorCode.TIMEOUT:
    case KeyEndpointErrorCode.INVALID_RESPONSE:
      return true;
    case KeyEndpointErrorCode.HTTP_ERROR:
      return error.status === undefined || error.status >= 500 || error.status === 429;
    case KeyEndpointErrorCode.TOKEN_UNAVAILABLE:
      return (error.cause as { retryable?: unknown } | undefined)?.retryable === true;
    default:
      return false;
  }
}
