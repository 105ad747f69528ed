// The observer hook: one report per answered delivery, with what the outcome line leaves out (docs/ARCHITECTURE.md, "Observing deliveries").
import type { HeaderInput } from "../signature/headers.js";
import type { DeliveryRecord } from "./outcome-recorder.js";

/**
 * One answered delivery as the receiver saw it. Unlike the outcome log line, it carries the
 * request headers and the raw body, verified or not: an observer must not log or forward them
 * as they are (the headers hold signatures).
 */
export interface DeliveryObservation extends DeliveryRecord {
  /** The request headers, as the adapter passed them. */
  readonly headers: HeaderInput;
  /** The exact body bytes; `undefined` when the delivery was refused before its body was read. */
  readonly body: Uint8Array | undefined;
  /** The JSON body of the answer sent. */
  readonly answer: Readonly<Record<string, string>>;
  /** When the answer was ready, in Unix ms (the receiver's clock). */
  readonly answeredAt: number;
}

/**
 * Called once per answer, after the outcome is recorded and before the answer is written; it
 * must not throw or block (a throw is caught and ignored). Unset, the receiver builds no
 * observation at all.
 */
export type DeliveryObserver = (observation: DeliveryObservation) => void;

/** Calls the observer, keeping its failures away from the delivery. */
export function notifyObserver(observer: DeliveryObserver, observation: DeliveryObservation): void {
  try {
    observer(observation);
  } catch {
    // an observer's failure is its own: the delivery is answered all the same
  }
}
