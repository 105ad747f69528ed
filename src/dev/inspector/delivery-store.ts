// The inspector's deliveries: a ring of the newest ones, the handlers' log lines joined to them, and change listeners.
import type { DeliveryObservation } from "../../pipeline/delivery-observer.js";
import { handlersFromLog, inspect, type InspectedDelivery, type InspectedLogLine } from "./inspected-delivery.js";

/** Deliveries kept by default. */
export const DEFAULT_KEPT_DELIVERIES = 500;
/** Log lines kept per delivery, and per event id waiting for its delivery. */
const MAX_LINES = 200;
/** Event ids whose log lines wait for their delivery's answer. */
const MAX_WAITING_EVENTS = 1000;

/** What changed: a delivery added or updated, or everything cleared. */
export type StoreChange = { readonly kind: "delivery"; readonly delivery: InspectedDelivery } | { readonly kind: "clear" };

/** The store of {@link createDeliveryStore}. */
export interface DeliveryStore {
  /** Adds an answered delivery, with the log lines written for its event while it ran. */
  add(observation: DeliveryObservation): InspectedDelivery;
  /** A log line about an event: held until its delivery is answered, or joined to the newest delivery of that event. */
  addLogLine(eventId: string, line: InspectedLogLine): void;
  /** Newest first. */
  list(): readonly InspectedDelivery[];
  get(seq: number): InspectedDelivery | undefined;
  clear(): void;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (change: StoreChange) => void): () => void;
}

/** Options of {@link createDeliveryStore}. */
export interface DeliveryStoreOptions {
  /** Deliveries kept (the oldest go first). Defaults to {@link DEFAULT_KEPT_DELIVERIES}. */
  readonly capacity?: number;
  /** Deliveries to start with (read back from disk), in any order. */
  readonly initial?: readonly InspectedDelivery[];
}

/** Creates the store. */
export function createDeliveryStore(options: DeliveryStoreOptions = {}): DeliveryStore {
  const capacity = options.capacity ?? DEFAULT_KEPT_DELIVERIES;
  // Oldest first; newest at the end.
  let deliveries: InspectedDelivery[] = [...(options.initial ?? [])].sort((a, b) => a.seq - b.seq).slice(-capacity);
  let nextSeq = (deliveries.at(-1)?.seq ?? 0) + 1;
  const waiting = new Map<string, InspectedLogLine[]>();
  const listeners = new Set<(change: StoreChange) => void>();
  const emit = (change: StoreChange): void => {
    for (const listener of listeners) listener(change);
  };

  /** The newest delivery of the event whose handlers run after its answer (queued, or past the timeout). */
  const runningAfterAnswer = (eventId: string): number => {
    for (let i = deliveries.length - 1; i >= 0; i--) {
      const delivery = deliveries[i];
      if (delivery?.eventId === eventId && (delivery.outcome === "queued" || delivery.outcome === "handler_timeout")) return i;
    }
    return -1;
  };

  return {
    add(observation) {
      const eventId = observation.eventId;
      const lines = eventId === undefined ? [] : (waiting.get(eventId) ?? []);
      if (eventId !== undefined) waiting.delete(eventId);
      const delivery = inspect(observation, nextSeq++, lines);
      deliveries.push(delivery);
      if (deliveries.length > capacity) deliveries.splice(0, deliveries.length - capacity);
      emit({ kind: "delivery", delivery });
      return delivery;
    },
    addLogLine(eventId, line) {
      const held = waiting.get(eventId);
      // Lines of an event not yet answered wait for it; later ones (queue workers, a late settle)
      // join the newest delivery of that event whose handlers run past its answer.
      const index = held === undefined ? runningAfterAnswer(eventId) : -1;
      const target = index >= 0 ? deliveries[index] : undefined;
      if (target !== undefined) {
        const updated = { ...target, logs: [...target.logs, line].slice(-MAX_LINES), handlers: handlersFromLog(line) ?? target.handlers };
        deliveries[index] = updated;
        emit({ kind: "delivery", delivery: updated });
        return;
      }
      if (held !== undefined) {
        if (held.length < MAX_LINES) held.push(line);
        return;
      }
      if (waiting.size >= MAX_WAITING_EVENTS) waiting.delete(waiting.keys().next().value as string);
      waiting.set(eventId, [line]);
    },
    list: () => [...deliveries].reverse(),
    get: (seq) => deliveries.find((delivery) => delivery.seq === seq),
    clear() {
      deliveries = [];
      waiting.clear();
      emit({ kind: "clear" });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
