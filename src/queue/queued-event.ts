// What a queued event carries in Redis, and its job id (the encoded dedupe key).
import type { SchemeName } from "../signature/scheme.js";

/** The payload of one job: everything a worker needs to run the handlers as inline mode would. */
export interface QueuedEvent {
  /** The exact verified body, as UTF-8 text (parsed again by the worker, never re-serialized). */
  readonly body: string;
  readonly id: string;
  readonly type: string;
  /** The delivery's signed timestamp, unix seconds. */
  readonly timestamp: number;
  readonly scheme: SchemeName;
  readonly deliveryId: string | undefined;
  /** Unix ms when the receiver queued it. */
  readonly queuedAt: number;
  /** The replay store key of the event, and the owner of the receiver's claim on it. */
  readonly replayKey: string;
  readonly claimOwner: string;
}

/**
 * The BullMQ job id of a dedupe key: base64url, because custom job ids may not contain `:` and
 * dedupe keys do (`chatgpt:evt_...`). One key, one job id: adding it twice adds nothing.
 */
export function jobIdFor(replayKey: string): string {
  return Buffer.from(replayKey, "utf8").toString("base64url");
}
