// What makes an event id usable as a dedupe key: well-formed Unicode, 1 to 256 characters.

/** The longest event id (body `id`, `webhook-id`) accepted, in UTF-16 code units. */
export const MAX_EVENT_ID_LENGTH = 256;

/** A lone surrogate: in `u` mode a paired one reads as one astral code point, never as `Cs`. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether `value` can name an event in the replay store. A lone surrogate is refused: stores
 * that speak UTF-8 (Redis) turn every one into U+FFFD, so `evt_\ud800` and `evt_\udbff` would
 * be one key, and the second event would be answered `duplicate` without ever being handled.
 */
export function isValidEventId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_EVENT_ID_LENGTH && !LONE_SURROGATE.test(value);
}
