// A worker's run of one queued event: the same handlers and context as inline mode, plus the attempt and queuedAt.
import { UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import { DeliveryContext } from "../dispatch/delivery-context.js";
import type { HandlerRegistry } from "../dispatch/handler-registry.js";
import type { HandlerFailedError } from "../dispatch/handler-failed-error.js";
import { runHandlers } from "../dispatch/run-handlers.js";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import type { UnknownWebhookEvent } from "../events/openai-events.js";
import type { QueuedEvent } from "./queued-event.js";

/** What running a queued event needs. */
export interface RunQueuedEventDependencies {
  readonly handlers: HandlerRegistry;
  readonly handlerTimeoutMs: number;
  readonly logger: Logger;
  /**
   * Makes sure the event's dedupe key is marked done before its handlers run: the receiver that
   * queued it may have died before marking it, and a completed job leaves no job id behind.
   */
  readonly sealDedupe: (event: QueuedEvent) => Promise<void>;
}

/**
 * Runs the handlers of `event` (run number `attempt`, from 1).
 * @returns `processed`, or `ignored` when no handler wants its type
 * @throws HandlerFailedError when a handler threw; UnrecoverableError (dead lettered at once, no
 * more attempts) when every failure is permanent (a forward the internal service refused); DeliveryFailedError `handler_timeout` when the
 * handlers outlived `handlerTimeoutMs` and then failed (the job is retried either way)
 */
export async function runQueuedEvent(
  deps: RunQueuedEventDependencies,
  event: QueuedEvent,
  attempt: number,
): Promise<"processed" | "ignored"> {
  await deps.sealDedupe(event);
  const wanted = deps.handlers.handlersFor(event.type);
  if (wanted.length === 0) return "ignored";
  // The body was verified and parsed before it was queued: this is the same text, parsed again.
  const parsed = JSON.parse(event.body) as UnknownWebhookEvent;
  const context = new DeliveryContext(
      { id: event.id, type: event.type, timestamp: event.timestamp, scheme: event.scheme, deliveryId: event.deliveryId, rawBody: Buffer.from(event.body, "utf8"), attempt, queuedAt: event.queuedAt },
      deps.logger,
  );
  const outcome = await runHandlers(wanted, parsed, context, deps.handlerTimeoutMs);
  if (outcome.kind === "ok") return "processed";
  if (outcome.kind === "failed") throw outcome.error.permanent ? unrecoverable(withReasons(outcome.error)) : withReasons(outcome.error);
  // Past the timeout the signal has fired; the job keeps its lock until the handlers settle, so
  // the event never runs twice at once. A late success counts (running it again would double it).
  const late = await outcome.settled;
  if (late === undefined) {
    deps.logger.warn({ event_id: event.id, event_type: event.type, attempt }, "handler settled after its timeout");
    return "processed";
  }
  throw new DeliveryFailedError(ErrorCode.HANDLER_TIMEOUT, `handlers did not finish within ${deps.handlerTimeoutMs} ms, then failed`, { cause: late });
}

/**
 * Puts the handlers' own messages in the error's message and stack head: BullMQ keeps only those
 * (`failedReason`, one `stacktrace` entry per attempt), and `events show` prints them. The error is
 * this run's own, so changing it touches nobody else.
 */
function withReasons(error: HandlerFailedError): HandlerFailedError {
  const reasons = error.errors.map((reason: unknown) => (reason instanceof Error ? reason.message : String(reason))).join("; ");
  const frames = (error.stack ?? "").split("\n").slice(1);
  error.message = `${error.message}: ${reasons}`;
  error.stack = [`${error.name}: ${error.message}`, ...frames].join("\n");
  return error;
}

/** BullMQ's marker for "no more attempts", carrying the handlers' reasons and the original error. */
function unrecoverable(error: HandlerFailedError): UnrecoverableError {
  const marked = new UnrecoverableError(error.message);
  marked.cause = error;
  return marked;
}
