// One delivery as the inspector keeps it: the observation made storable, and what its handlers did.
import type { DeliveryObservation } from "../../pipeline/delivery-observer.js";
import { getHeader } from "../../signature/headers.js";
import { shownHeaders } from "./shown-headers.js";

/** Bodies larger than this are kept cut (and cannot be replayed). */
export const MAX_KEPT_BODY_BYTES = 256 * 1024;

/** One log line a handler (or the receiver, about this event) wrote. */
export interface InspectedLogLine {
  readonly time: number;
  readonly level: number;
  readonly msg: string;
  /** The line's other fields. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What the list shows of a delivery. */
export interface DeliverySummary {
  /** The inspector's own number for the delivery, increasing. */
  readonly seq: number;
  /** Unix ms. */
  readonly time: number;
  readonly type: string | undefined;
  readonly eventId: string | undefined;
  readonly deliveryId: string | undefined;
  readonly outcome: string;
  readonly status: number;
  readonly durationMs: number;
  /** What the handlers did: `ok`, `error: ...`, `timeout`, `not run`, or the queue state. */
  readonly handlers: string;
  /** Whether the signature was verified (the body is then the event's). */
  readonly verified: boolean;
}

/** Everything kept of a delivery. */
export interface InspectedDelivery extends DeliverySummary {
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (UTF-8), or base64 when it is not valid UTF-8. */
  readonly body: string | undefined;
  readonly bodyEncoding: "utf8" | "base64";
  /** True when the body was cut at {@link MAX_KEPT_BODY_BYTES}. */
  readonly bodyTruncated: boolean;
  /** The `webhook-id` header (standard scheme), reused by a replay. */
  readonly webhookId: string | undefined;
  readonly answer: Readonly<Record<string, string>>;
  readonly logs: readonly InspectedLogLine[];
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function keptBody(body: Uint8Array | undefined): Pick<InspectedDelivery, "body" | "bodyEncoding" | "bodyTruncated"> {
  if (body === undefined) return { body: undefined, bodyEncoding: "utf8", bodyTruncated: false };
  const kept = body.byteLength > MAX_KEPT_BODY_BYTES ? body.subarray(0, MAX_KEPT_BODY_BYTES) : body;
  const bodyTruncated = kept !== body;
  try {
    return { body: UTF8.decode(kept), bodyEncoding: "utf8", bodyTruncated };
  } catch {
    return { body: Buffer.from(kept).toString("base64"), bodyEncoding: "base64", bodyTruncated };
  }
}

/** What the handlers did, as far as the answer tells (log lines refine it: {@link handlersFromLog}). */
export function handlersFromOutcome(outcome: string, verified: boolean): string {
  switch (outcome) {
    case "processed":
      return "ok";
    case "handler_timeout":
      return "timeout";
    case "handler_failed":
      return "error";
    case "queued":
      return "queued";
    case "ignored":
      return "no handler";
    case "duplicate":
      return "not run (duplicate)";
    default:
      return verified ? "not run" : "not run (refused)";
  }
}

function errorMessage(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const { aggregateErrors, errors, message } = err as { aggregateErrors?: unknown; errors?: unknown; message?: unknown };
  const inner = (Array.isArray(aggregateErrors) ? aggregateErrors : Array.isArray(errors) ? errors : [])
    .map((each: unknown) => (typeof each === "object" && each !== null ? (each as { message?: unknown }).message : undefined))
    .filter((each): each is string => typeof each === "string");
  if (inner.length > 0) return inner.join("; ");
  return typeof message === "string" ? message : undefined;
}

/**
 * What a log line about the event says the handlers did, or `undefined` when it says nothing:
 * a failure (inline), a queued run's result with its attempt, a late settle.
 */
export function handlersFromLog(line: InspectedLogLine): string | undefined {
  const attempt = typeof line.fields.attempt === "number" ? `attempt ${line.fields.attempt}: ` : "";
  const error = errorMessage(line.fields.err);
  switch (line.msg) {
    case "handler failed":
      return `error: ${error ?? "handler failed"}`;
    case "queued event handled":
      return `${attempt}ok`;
    case "queued event failed; it will be retried":
      return `${attempt}error: ${error ?? "failed"} (will retry)`;
    case "queued event dead lettered after its last attempt":
      return `${attempt}error: ${error ?? "failed"} (dead lettered)`;
    case "handler settled after its timeout":
      return `timeout, then ${line.fields.outcome === "handler_failed" ? `error: ${error ?? "failed"}` : "ok"}`;
    default:
      return undefined;
  }
}

/** Turns an observation into what the inspector keeps. */
export function inspect(observation: DeliveryObservation, seq: number, logs: readonly InspectedLogLine[]): InspectedDelivery {
  const verified = observation.eventId !== undefined;
  let handlers = handlersFromOutcome(observation.outcome, verified);
  for (const line of logs) handlers = handlersFromLog(line) ?? handlers;
  return {
    seq,
    time: observation.answeredAt,
    type: observation.eventType,
    eventId: observation.eventId,
    deliveryId: observation.deliveryId,
    outcome: observation.outcome,
    status: observation.status,
    durationMs: Math.round(observation.durationMs * 1000) / 1000,
    handlers,
    verified,
    headers: shownHeaders(observation.headers),
    ...keptBody(observation.body),
    webhookId: getHeader(observation.headers, "webhook-id"),
    answer: observation.answer,
    logs,
  };
}

/** The list's view of a delivery. */
export function summarize(delivery: InspectedDelivery): DeliverySummary {
  const { seq, time, type, eventId, deliveryId, outcome, status, durationMs, handlers, verified } = delivery;
  return { seq, time, type, eventId, deliveryId, outcome, status, durationMs, handlers, verified };
}
