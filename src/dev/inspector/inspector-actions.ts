// The inspector's actions: replay a kept delivery (fresh timestamp), replay it as a new event, send any event JSON.
import { randomBytes } from "node:crypto";
import type { SchemeName } from "../../signature/scheme.js";
import { sign } from "../../signature/sign-and-verify.js";
import type { InspectedDelivery } from "./inspected-delivery.js";

/** Where and how the actions deliver. */
export interface ActionTarget {
  readonly webhookUrl: () => string;
  readonly scheme: SchemeName;
  /** The dev provider's current signing key. */
  readonly secret: () => string;
}

/** The receiver's answer to a delivery an action sent. */
export interface ActionResult {
  readonly status: number;
  readonly answer: unknown;
}

/** Why an action cannot run (answered 400 or 404 by the routes). */
export class ActionError extends Error {
  readonly code: "not_replayable" | "invalid_event";
  constructor(code: ActionError["code"], message: string) {
    super(message);
    this.name = "ActionError";
    this.code = code;
  }
}

const newDeliveryId = (): string => `msg_${randomBytes(12).toString("hex")}`;
/** A new event id for "replay as new event". */
export const newEventId = (): string => `evt_${randomBytes(12).toString("hex")}`;

/** Signs `body` with a fresh timestamp (and `webhookId` in the standard scheme) and POSTs it to the receiver. */
async function deliver(target: ActionTarget, body: Buffer, webhookId: string | undefined): Promise<ActionResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const id = target.scheme === "standard" ? (webhookId ?? newDeliveryId()) : undefined;
  const headers = sign(target.scheme, { body, secret: target.secret(), timestamp, id });
  const response = await fetch(target.webhookUrl(), { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, answer };
}

function keptBytes(delivery: InspectedDelivery): Buffer {
  if (delivery.body === undefined || delivery.bodyTruncated) {
    throw new ActionError("not_replayable", "this delivery's body was not kept whole, so it cannot be sent again");
  }
  return Buffer.from(delivery.body, delivery.bodyEncoding);
}

/** The same bytes (and, in the standard scheme, the same `webhook-id`) re-signed now: a handled event comes back `duplicate`. */
export async function replay(target: ActionTarget, delivery: InspectedDelivery): Promise<ActionResult> {
  return deliver(target, keptBytes(delivery), delivery.webhookId);
}

/** Parses an event: a JSON object with string `id` and `type`. @throws ActionError `invalid_event` */
export function parseEventJson(text: string): Record<string, unknown> {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new ActionError("invalid_event", "the event is not valid JSON");
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw new ActionError("invalid_event", "the event must be a JSON object");
  const { id, type } = event as { id?: unknown; type?: unknown };
  if (typeof id !== "string" || typeof type !== "string") throw new ActionError("invalid_event", 'the event needs string "id" and "type" fields');
  return event as Record<string, unknown>;
}

/** The kept body with a new `id` (and a new `webhook-id`), signed now: the handlers run again. */
export async function replayAsNew(target: ActionTarget, delivery: InspectedDelivery): Promise<ActionResult> {
  const event = parseEventJson(keptBytes(delivery).toString("utf8"));
  return deliver(target, Buffer.from(JSON.stringify({ ...event, id: newEventId() })), undefined);
}

/** Any event JSON (a fixture, a template), sent as it is, signed now. Rejects with ActionError `invalid_event`. */
export async function sendEvent(target: ActionTarget, text: string): Promise<ActionResult> {
  parseEventJson(text);
  return deliver(target, Buffer.from(text), undefined);
}
