// The headers of one forwarded event: ids, type, bearer token, and optionally Standard Webhooks signature headers.
import { standardScheme } from "../signature/standard-scheme.js";

/** What is forwarded of one verified event. */
export interface ForwardedEvent {
  /** The exact verified body bytes. */
  readonly body: Uint8Array;
  readonly id: string;
  readonly type: string;
  /** The delivery id the sender gave, when it gave one. */
  readonly deliveryId: string | undefined;
}

/**
 * The request headers for `event`: `content-type`, `x-webhook-event-id` / `-type` /
 * `-delivery-id` (when known), `authorization: Bearer <token>`, and with `signingSecret` the
 * Standard Webhooks `webhook-id` (the event id), `webhook-timestamp` (`nowSeconds`) and `webhook-signature`.
 */
export function forwardHeaders(event: ForwardedEvent, token: string, signingSecret: string | undefined, nowSeconds: number): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-webhook-event-id": event.id,
    "x-webhook-event-type": event.type,
    authorization: `Bearer ${token}`,
  };
  if (event.deliveryId !== undefined) headers["x-webhook-delivery-id"] = event.deliveryId;
  if (signingSecret !== undefined) {
    Object.assign(headers, standardScheme.sign({ body: event.body, secret: signingSecret, id: event.id, timestamp: nowSeconds }));
  }
  return headers;
}
