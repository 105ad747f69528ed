// Parsing the verified body into an event: strict UTF-8, a JSON object with string `id` and `type`.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import { isValidEventId, MAX_EVENT_ID_LENGTH } from "../events/event-id.js";
import type { UnknownWebhookEvent } from "../events/openai-events.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a verified body. Call only after the signature matched (docs/ARCHITECTURE.md, "The path of one delivery").
 * @throws DeliveryRejectedError `invalid_payload` for invalid UTF-8, invalid JSON, a non-object,
 *   or an `id` or `type` that is not a well-formed string of 1 to 256 characters (a lone
 *   surrogate would collide with others in a UTF-8 store)
 */
export function parseEvent(body: Uint8Array): UnknownWebhookEvent {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch {
    throw new DeliveryRejectedError(ErrorCode.INVALID_PAYLOAD, "body is not valid UTF-8 JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DeliveryRejectedError(ErrorCode.INVALID_PAYLOAD, "body must be a JSON object");
  }
  const event = value as Record<string, unknown>;
  requireString(event, "id");
  requireString(event, "type");
  return event as unknown as UnknownWebhookEvent;
}

function requireString(event: Record<string, unknown>, field: "id" | "type"): void {
  const value = Object.hasOwn(event, field) ? event[field] : undefined;
  if (!isValidEventId(value)) {
    throw new DeliveryRejectedError(
      ErrorCode.INVALID_PAYLOAD,
      `event "${field}" must be a well-formed string of 1 to ${MAX_EVENT_ID_LENGTH} characters`,
    );
  }
}
