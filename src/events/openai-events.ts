// OpenAI platform webhook events: the known type names and their payload shapes (types only).
//
// Shapes follow openai-node's `resources/webhooks` (`UnwrapWebhookEvent` and its members). The
// sender may add event types at any time, so a receiver must accept names it does not know:
// those reach `"*"` handlers as an {@link UnknownWebhookEvent}.
// Reference: https://platform.openai.com/docs/api-reference/webhook-events

/**
 * The common envelope of every OpenAI webhook event.
 *
 * @typeParam T - the event type name, e.g. `"batch.completed"`
 * @typeParam D - the shape of `data`
 */
export interface WebhookEvent<T extends string = string, D = unknown> {
  /** The unique ID of the event (`evt_...`); the same on every retry of one delivery. */
  readonly id: string;
  /**
   * Always `"event"`. Optional because openai-node types it so and the API reference's
   * examples sometimes omit it.
   */
  readonly object?: "event";
  /** Unix timestamp (seconds) of when the event happened (e.g. when the batch completed). */
  readonly created_at: number;
  /** The type of the event. */
  readonly type: T;
  /** Event data: for most types only the id of the object the event is about. */
  readonly data: D;
}

/** `data` of events that only name the affected object: fetch it through the API for details. */
export interface ObjectIdData {
  /** The ID of the object: `resp_...`, `batch_...`, `ftjob-...` or `evalrun_...`. */
  readonly id: string;
}

/** One header of the SIP INVITE that started a Realtime call. */
export interface SipHeader {
  /** Header name as received, e.g. `From`, `To`, `Call-ID`. */
  readonly name: string;
  /** Header value as received: untrusted caller-controlled text. */
  readonly value: string;
}

/** `data` of `realtime.call.incoming`. */
export interface RealtimeCallIncomingData {
  /** The ID of the pending SIP call (`rtc_...`), to pass unchanged when accepting or rejecting it. */
  readonly call_id: string;
  /**
   * Headers of the SIP INVITE (authorization headers excluded), in order, repeats kept.
   * Treat the values as untrusted call metadata.
   */
  readonly sip_headers: readonly SipHeader[];
  /**
   * Media protection negotiated on the SIP leg (`srtp` or plain `rtp`); absent when unknown.
   * Newer field: handle unrecognized values as unknown.
   */
  readonly sip_media_security?: "rtp" | "srtp" | (string & {});
}

/** Sent when a background response has been completed. `data.id` is the response id. */
export type ResponseCompletedWebhookEvent = WebhookEvent<"response.completed", ObjectIdData>;
/** Sent when a background response has failed. `data.id` is the response id. */
export type ResponseFailedWebhookEvent = WebhookEvent<"response.failed", ObjectIdData>;
/** Sent when a background response has been cancelled. `data.id` is the response id. */
export type ResponseCancelledWebhookEvent = WebhookEvent<"response.cancelled", ObjectIdData>;
/** Sent when a background response has been interrupted. `data.id` is the response id. */
export type ResponseIncompleteWebhookEvent = WebhookEvent<"response.incomplete", ObjectIdData>;

/** Sent when a batch API request has been completed. `data.id` is the batch id. */
export type BatchCompletedWebhookEvent = WebhookEvent<"batch.completed", ObjectIdData>;
/** Sent when a batch API request has failed. `data.id` is the batch id. */
export type BatchFailedWebhookEvent = WebhookEvent<"batch.failed", ObjectIdData>;
/** Sent when a batch API request has expired. `data.id` is the batch id. */
export type BatchExpiredWebhookEvent = WebhookEvent<"batch.expired", ObjectIdData>;
/** Sent when a batch API request has been cancelled. `data.id` is the batch id. */
export type BatchCancelledWebhookEvent = WebhookEvent<"batch.cancelled", ObjectIdData>;

/** Sent when a fine-tuning job has succeeded. `data.id` is the job id. */
export type FineTuningJobSucceededWebhookEvent = WebhookEvent<"fine_tuning.job.succeeded", ObjectIdData>;
/** Sent when a fine-tuning job has failed. `data.id` is the job id. */
export type FineTuningJobFailedWebhookEvent = WebhookEvent<"fine_tuning.job.failed", ObjectIdData>;
/** Sent when a fine-tuning job has been cancelled. `data.id` is the job id. */
export type FineTuningJobCancelledWebhookEvent = WebhookEvent<"fine_tuning.job.cancelled", ObjectIdData>;

/** Sent when an eval run has succeeded. `data.id` is the eval run id. */
export type EvalRunSucceededWebhookEvent = WebhookEvent<"eval.run.succeeded", ObjectIdData>;
/** Sent when an eval run has failed. `data.id` is the eval run id. */
export type EvalRunFailedWebhookEvent = WebhookEvent<"eval.run.failed", ObjectIdData>;
/** Sent when an eval run has been canceled (OpenAI spells this one with a single "l"). */
export type EvalRunCanceledWebhookEvent = WebhookEvent<"eval.run.canceled", ObjectIdData>;

/** Sent when the Realtime API receives an incoming SIP call. */
export type RealtimeCallIncomingWebhookEvent = WebhookEvent<"realtime.call.incoming", RealtimeCallIncomingData>;

/**
 * Every known event type name mapped to its event interface, so that
 * `receiver.on("batch.completed", (event) => ...)` gets a typed `event`.
 */
export interface OpenAIEventMap {
  "response.completed": ResponseCompletedWebhookEvent;
  "response.failed": ResponseFailedWebhookEvent;
  "response.cancelled": ResponseCancelledWebhookEvent;
  "response.incomplete": ResponseIncompleteWebhookEvent;
  "batch.completed": BatchCompletedWebhookEvent;
  "batch.failed": BatchFailedWebhookEvent;
  "batch.expired": BatchExpiredWebhookEvent;
  "batch.cancelled": BatchCancelledWebhookEvent;
  "fine_tuning.job.succeeded": FineTuningJobSucceededWebhookEvent;
  "fine_tuning.job.failed": FineTuningJobFailedWebhookEvent;
  "fine_tuning.job.cancelled": FineTuningJobCancelledWebhookEvent;
  "eval.run.succeeded": EvalRunSucceededWebhookEvent;
  "eval.run.failed": EvalRunFailedWebhookEvent;
  "eval.run.canceled": EvalRunCanceledWebhookEvent;
  "realtime.call.incoming": RealtimeCallIncomingWebhookEvent;
}

/**
 * The OpenAI webhook event types this package knows the payload of (openai-node's
 * `UnwrapWebhookEvent`). Any other type is still delivered, to `"*"` handlers.
 */
export const OPENAI_EVENT_TYPES = [
  "response.completed",
  "response.failed",
  "response.cancelled",
  "response.incomplete",
  "batch.completed",
  "batch.failed",
  "batch.expired",
  "batch.cancelled",
  "fine_tuning.job.succeeded",
  "fine_tuning.job.failed",
  "fine_tuning.job.cancelled",
  "eval.run.succeeded",
  "eval.run.failed",
  "eval.run.canceled",
  "realtime.call.incoming",
] as const satisfies readonly (keyof OpenAIEventMap)[];

/** A known OpenAI webhook event type name. */
export type OpenAIEventType = (typeof OPENAI_EVENT_TYPES)[number];

/** Any known OpenAI webhook event (a union discriminated by `type`). */
export type OpenAIWebhookEvent = OpenAIEventMap[OpenAIEventType];

/**
 * A verified event whose type is not known here, or any event as seen by a `"*"` handler:
 * only `id` and `type` are guaranteed (the receiver checks both before dispatch).
 */
export interface UnknownWebhookEvent {
  readonly id: string;
  readonly type: string;
  readonly [key: string]: unknown;
}

/**
 * The event a handler registered for `T` receives: the typed event for a known name,
 * {@link UnknownWebhookEvent} for `"*"` or any other name.
 */
export type WebhookEventFor<T extends string> = T extends OpenAIEventType
  ? OpenAIEventMap[T]
  : UnknownWebhookEvent;
