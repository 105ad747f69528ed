// Signing one fixture with a fresh timestamp and POSTing it (n times for --repeat), timing each answer.
import { sign } from "../../signature/sign-and-verify.js";
import type { SchemeName } from "../../signature/scheme.js";
import { newDeliveryId } from "../sign-command.js";
import type { EventFile } from "./collect-events.js";

/** How every delivery of a run is made. */
export interface DeliverySettings {
  readonly url: string;
  readonly scheme: SchemeName;
  readonly secret: string;
  /** Flip one byte of the body after signing. */
  readonly tamper: boolean;
  /** Added to the current time for the signed timestamp. */
  readonly timestampOffsetSeconds: number;
  /** Send the same signed delivery this many times, one after another. */
  readonly repeat: number;
}

/** One answered (or failed) POST. */
export interface DeliveryRow {
  readonly type: string;
  readonly id: string;
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
  /** `processed` / `duplicate` / `ignored`, an error code, or why nothing came back. */
  readonly outcome: string;
  readonly ms: number;
}

async function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; outcome: string }> {
  try {
    const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
    const text = await response.text();
    let outcome = `http_${response.status}`;
    try {
      const answer = JSON.parse(text) as { status?: unknown; error?: unknown };
      const named = response.ok ? answer.status : answer.error;
      if (typeof named === "string") outcome = named;
    } catch {
      // not JSON: keep http_<status>
    }
    return { status: response.status, outcome };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, outcome: `connection_failed${cause === undefined ? "" : `: ${cause}`}` };
  }
}

/** Signs `event` once and sends it `settings.repeat` times; one row per POST. */
export async function sendDelivery(event: EventFile, settings: DeliverySettings): Promise<DeliveryRow[]> {
  const timestamp = Math.floor(Date.now() / 1000) + settings.timestampOffsetSeconds;
  const id = settings.scheme === "standard" ? newDeliveryId() : undefined;
  const headers = sign(settings.scheme, { body: event.body, secret: settings.secret, timestamp, id });
  const body = Buffer.from(event.body);
  if (settings.tamper && body.length > 0) {
    const index = Math.floor(body.length / 2);
    body[index] = (body[index] ?? 0) ^ 0x01;
  }
  const rows: DeliveryRow[] = [];
  for (let i = 0; i < settings.repeat; i++) {
    const started = performance.now();
    const answer = await post(settings.url, body, headers);
    rows.push({ type: event.type, id: event.id, ...answer, ms: Math.round(performance.now() - started) });
  }
  return rows;
}
