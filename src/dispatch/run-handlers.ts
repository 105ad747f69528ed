// Running one event's handlers under a timeout: all run, failures collected, one timer per delivery.
import { HandlerFailedError } from "./handler-failed-error.js";
import type { AnyHandler, HandlerContext } from "./handler.js";

/** How a delivery's handlers ended, or that they outlived the timeout. */
export type DispatchOutcome =
  | { readonly kind: "ok" }
  | { readonly kind: "failed"; readonly error: HandlerFailedError }
  | {
      readonly kind: "timeout";
      /** Settles when the handlers really finish: `undefined` on success, else their error. */
      readonly settled: Promise<HandlerFailedError | undefined>;
    };

/** A context whose AbortSignal can be fired by the dispatcher. */
export interface AbortableContext extends HandlerContext {
  abort(reason: unknown): void;
}

const OK: DispatchOutcome = { kind: "ok" };

function invoke(handler: AnyHandler, event: unknown, context: HandlerContext): Promise<unknown> {
  try {
    return Promise.resolve(handler(event as never, context));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error), { cause: error }));
  }
}

const NO_FAILURE = (): undefined => undefined;

/** Runs every handler concurrently; resolves with their collected failures, if any. */
export function settleHandlers(
  handlers: readonly AnyHandler[],
  event: { readonly id: string; readonly type: string },
  context: HandlerContext,
): Promise<HandlerFailedError | undefined> {
  if (handlers.length === 1) {
    const failed = (error: unknown): HandlerFailedError => new HandlerFailedError([error], event.id, event.type);
    return invoke(handlers[0] as AnyHandler, event, context).then(NO_FAILURE, failed);
  }
  return Promise.allSettled(handlers.map((handler) => invoke(handler, event, context))).then((results) => {
    const errors: unknown[] = [];
    for (const result of results) if (result.status === "rejected") errors.push(result.reason);
    return errors.length === 0 ? undefined : new HandlerFailedError(errors, event.id, event.type);
  });
}

/**
 * Runs the handlers; past `timeoutMs` the context's signal fires and the outcome is `timeout`,
 * whose `settled` promise reports how the handlers really ended.
 */
export function runHandlers(
  handlers: readonly AnyHandler[],
  event: { readonly id: string; readonly type: string },
  context: AbortableContext,
  timeoutMs: number,
): Promise<DispatchOutcome> {
  const settled = settleHandlers(handlers, event, context);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      context.abort(new Error(`handler timeout after ${timeoutMs} ms`));
      resolve({ kind: "timeout", settled });
    }, timeoutMs);
    void settled.then((error) => {
      clearTimeout(timer);
      resolve(error === undefined ? OK : { kind: "failed", error });
    });
  });
}
