// The 429 answer of both limiters: Retry-After and the IETF draft-7 RateLimit headers.
import type { Clock } from "../clock.js";
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import { toErrorResponse } from "../pipeline/error-response.js";
import type { WebhookAnswer } from "../receiver/webhook-request.js";
import { WINDOW_MS, type LimitInfo } from "./rate-limits.js";

const REFUSAL = toErrorResponse(new DeliveryRejectedError(ErrorCode.RATE_LIMITED, "too many requests; slow down"));

/**
 * `429 rate_limited` with Retry-After and `RateLimit` / `RateLimit-Policy`. Only refusals carry
 * these headers: webhook senders ignore them on success, and leaving them off keeps every other
 * answer on Node's fast header path.
 */
export function rateLimitedAnswer(info: LimitInfo, clock: Clock): WebhookAnswer {
  const reset = info.resetAt;
  const retryAfter = reset === undefined ? WINDOW_MS / 1000 : Math.max(1, Math.ceil((reset - clock.now()) / 1000));
  return {
    status: REFUSAL.status,
    body: REFUSAL.body,
    retryAfterSeconds: retryAfter,
    headers: {
      "RateLimit-Policy": `${info.limit};w=${WINDOW_MS / 1000}`,
      RateLimit: `limit=${info.limit}, remaining=${info.remaining}, reset=${retryAfter}`,
    },
  };
}
