// The per-delivery handler context; its AbortController and child logger exist only once used.
import type { Logger } from "pino";
import type { SchemeName } from "../signature/scheme.js";
import type { AbortableContext } from "./run-handlers.js";

/** Fields of a delivery known before dispatch. */
export interface DeliveryFacts {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly scheme: SchemeName;
  readonly deliveryId: string | undefined;
  /** The exact verified body bytes. */
  readonly rawBody: Uint8Array;
  /** 1-based run number (queue mode); defaults to 1. */
  readonly attempt?: number;
  /** Unix ms when queued (queue mode). */
  readonly queuedAt?: number | undefined;
}

/** Handler context with a lazily created AbortSignal and child logger. */
export class DeliveryContext implements AbortableContext {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly scheme: SchemeName;
  readonly deliveryId: string | undefined;
  readonly rawBody: Uint8Array;
  readonly attempt: number;
  readonly queuedAt: number | undefined;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #aborted = false;
  #logger: Logger | undefined;
  readonly #parentLogger: Logger;

  constructor(facts: DeliveryFacts, parentLogger: Logger) {
    this.id = facts.id;
    this.type = facts.type;
    this.timestamp = facts.timestamp;
    this.scheme = facts.scheme;
    this.deliveryId = facts.deliveryId;
    this.rawBody = facts.rawBody;
    this.attempt = facts.attempt ?? 1;
    this.queuedAt = facts.queuedAt;
    this.#parentLogger = parentLogger;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get logger(): Logger {
    this.#logger ??= this.#parentLogger.child({ event_id: this.id, event_type: this.type });
    return this.#logger;
  }

  abort(reason: unknown): void {
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }
}
