// Handler types: what a user plugs in, and what it is given with each event.
import type { Logger } from "pino";
import type { WebhookEventFor } from "../events/openai-events.js";
import type { SchemeName } from "../signature/scheme.js";

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** The event's id (signed, from the body). */
  readonly id: string;
  readonly type: string;
  /** The delivery's signed timestamp, unix seconds. */
  readonly timestamp: number;
  readonly scheme: SchemeName;
  /** The exact verified body bytes, as signed (never re-serialized): for passing the event on. */
  readonly rawBody: Uint8Array;
  /** The delivery id from the headers, for correlation (in the chatgpt scheme it is unsigned). */
  readonly deliveryId: string | undefined;
  /** Fired when the delivery passes `HANDLER_TIMEOUT_MS`: stop work and let the sender retry. */
  readonly signal: AbortSignal;
  /** A child logger bound to this event. */
  readonly logger: Logger;
  /** Which run of this event this is, from 1 (queue mode retries count up; inline mode is always 1). */
  readonly attempt: number;
  /** When the event was queued, unix ms (queue mode); `undefined` when dispatched inline. */
  readonly queuedAt: number | undefined;
}

/** A handler for events of type `T` (`"*"` or an unknown type gets the generic event shape). */
export type WebhookHandler<T extends string = string> = (
  event: WebhookEventFor<T>,
  context: HandlerContext,
) => unknown;

/** A handler once registered, without its type parameter. */
export type AnyHandler = (event: never, context: HandlerContext) => unknown;
