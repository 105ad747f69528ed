// The 429 answer of both limiters: Retry-After and the IETF draft-7 RateLimit headers.
import type { ServerResponse } from "node:http";
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import { WINDOW_MS, type LimitInfo } from "../rate-limit/rate-limits.js";
import { toErrorResponse } from "./error-response.js";
import { sendJson } from "./send-json.js";

/**
 * Writes `429 rate_limited` with Retry-After and `RateLimit` / `RateLimit-Policy`. Only refusals
 * carry these headers: webhook senders ignore them on success, and leaving them off keeps every
 * other answer on Node's fast header path.
 */
export function sendRateLimited(res: ServerResponse, info: LimitInfo | undefined): void {
  const reset = info?.resetAt;
  const retryAfter = reset === undefined ? WINDOW_MS / 1000 : Math.max(1, Math.ceil((reset - Date.now()) / 1000));
  if (info !== undefined) {
    res.setHeader("RateLimit-Policy", `${info.limit};w=${WINDOW_MS / 1000}`);
    res.setHeader("RateLimit", `limit=${info.limit}, remaining=${info.remaining}, reset=${retryAfter}`);
  }
  const answer = toErrorResponse(new DeliveryRejectedError(ErrorCode.RATE_LIMITED, "too many requests; slow down"));
  sendJson(res, answer.status, answer.body, retryAfter);
}
