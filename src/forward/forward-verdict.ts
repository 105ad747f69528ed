// What an internal service's answer means for the event: delivered, retry with a new token, retry later, or never.
import { parseRetryAfterMs } from "../backoff.js";

/** How one forwarded request ended, from the status alone. */
export type ForwardVerdict =
  | { readonly kind: "delivered" }
  | { readonly kind: "unauthorized" }
  | { readonly kind: "retryable"; readonly retryAfterMs: number | undefined }
  | { readonly kind: "permanent" };

/**
 * Classifies `status`: 2xx delivered; 401 unauthorized (new token, one more try); 408, 429 and
 * 5xx retryable (with `Retry-After` on 429 and 503); any other status permanent (the event itself
 * was refused). README, "Forwarding to an internal service".
 */
export function forwardVerdict(status: number, retryAfter: string | null, nowMs: number): ForwardVerdict {
  if (status >= 200 && status < 300) return { kind: "delivered" };
  if (status === 401) return { kind: "unauthorized" };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: "retryable", retryAfterMs: status === 429 || status === 503 ? parseRetryAfterMs(retryAfter, nowMs) : undefined };
  }
  return { kind: "permanent" };
}
