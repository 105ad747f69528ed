// runHandlers / settleHandlers: every handler runs, failures are collected, the timeout aborts.
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeliveryContext } from "../../../src/dispatch/delivery-context.js";
import { HandlerFailedError } from "../../../src/dispatch/handler-failed-error.js";
import type { AnyHandler, HandlerContext } from "../../../src/dispatch/handler.js";
import { runHandlers, settleHandlers } from "../../../src/dispatch/run-handlers.js";

const logger = pino({ level: "silent" });
const event = { id: "evt_1", type: "response.completed" };

const newContext = (): DeliveryContext =>
  new DeliveryContext({ id: event.id, type: event.type, timestamp: 1_700_000_000, scheme: "chatgpt", deliveryId: "d_1", rawBody: new Uint8Array() }, logger);

const handler = (fn: (event: { id: string; type: string }, context: HandlerContext) => unknown): AnyHandler => fn;

/** Rejects with any value: handlers may reject with non-Errors, and those must be collected too. */
const rejectWith = (value: unknown): Promise<never> =>
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
  Promise.reject(value);

/** Throws any value, as a careless handler might. */
const throwValue = (value: unknown): never => {
  throw value;
};

/** A promise with its resolve / reject exposed. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("settleHandlers", () => {
  it("resolves undefined when every handler succeeds, and passes the event and context", async () => {
    const context = newContext();
    const seen: unknown[] = [];
    const handlers = [
      handler((received, ctx) => void seen.push([received, ctx])),
      handler(async (received) => {
        await Promise.resolve();
        seen.push(received.id);
      }),
    ];
    expect(await settleHandlers(handlers, event, context)).toBeUndefined();
    expect(seen).toEqual([[event, context], "evt_1"]);
  });

  it("resolves undefined for no handlers", async () => {
    expect(await settleHandlers([], event, newContext())).toBeUndefined();
  });

  it("runs every handler even when earlier ones throw or reject, and collects every failure", async () => {
    const syncError = new Error("sync");
    const asyncError = new Error("async");
    const ran: string[] = [];
    const handlers = [
      handler(() => {
        ran.push("sync-throw");
        throw syncError;
      }),
      handler(() => {
        ran.push("async-reject");
        return Promise.reject(asyncError);
      }),
      handler(() => {
        ran.push("ok");
      }),
      handler(() => {
        ran.push("non-error");
        return rejectWith("just a string");
      }),
    ];
    const result = await settleHandlers(handlers, event, newContext());
    expect(ran).toEqual(["sync-throw", "async-reject", "ok", "non-error"]);
    expect(result).toBeInstanceOf(HandlerFailedError);
    expect(result).toEqual(expect.objectContaining({ code: "handler_failed", eventId: "evt_1", eventType: "response.completed" }));
    const errors = result?.errors ?? [];
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBe(syncError);
    expect(errors[1]).toBe(asyncError);
    const third: unknown = errors[2];
    expect(third instanceof Error ? third.cause : third).toBe("just a string");
  });

  it.each([
    ["a sync throw", () => handler(() => { throw new TypeError("boom"); })],
    ["an async reject", () => handler(() => Promise.reject(new TypeError("boom")))],
    ["an async function throwing", () => handler(async () => { await Promise.resolve(); throw new TypeError("boom"); })],
  ])("collects %s of a single handler", async (_label, make) => {
    const result = await settleHandlers([make()], event, newContext());
    expect(result).toBeInstanceOf(HandlerFailedError);
    expect(result?.code).toBe("handler_failed");
    expect(result?.errors).toHaveLength(1);
    expect(result?.errors[0]).toBeInstanceOf(TypeError);
  });

  it.each([
    ["thrown", () => handler(() => throwValue("thrown string"))],
    ["rejected", () => handler(() => rejectWith("thrown string"))],
  ])("collects a non-Error value %s by a single handler", async (_label, make) => {
    const result = await settleHandlers([make()], event, newContext());
    expect(result).toBeInstanceOf(HandlerFailedError);
    const only: unknown = result?.errors[0];
    expect(only instanceof Error ? only.cause : only).toBe("thrown string");
  });

  it("collects undefined and null rejections", async () => {
    const result = await settleHandlers(
      [handler(() => rejectWith(undefined)), handler(() => rejectWith(null))],
      event,
      newContext(),
    );
    expect(result).toBeInstanceOf(HandlerFailedError);
    expect(result?.errors).toHaveLength(2);
  });
});

describe("runHandlers", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is ok when handlers finish in time, without aborting or leaving a timer", async () => {
    const context = newContext();
    const outcome = await runHandlers([handler(() => undefined), handler(async () => {})], event, context, 1_000);
    expect(outcome).toEqual({ kind: "ok" });
    expect(context.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is ok for no handlers", async () => {
    expect(await runHandlers([], event, newContext(), 1_000)).toEqual({ kind: "ok" });
  });

  it("reports failures as failed with the HandlerFailedError", async () => {
    const context = newContext();
    const outcome = await runHandlers([handler(() => Promise.reject(new Error("x"))), handler(() => {})], event, context, 1_000);
    expect(outcome.kind).toBe("failed");
    if (outcome.kind !== "failed") return;
    expect(outcome.error).toBeInstanceOf(HandlerFailedError);
    expect(outcome.error.errors).toHaveLength(1);
    expect(context.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("finishes in time when the handler settles just before the timeout", async () => {
    const gate = deferred();
    const context = newContext();
    const pending = runHandlers([handler(() => gate.promise)], event, context, 1_000);
    await vi.advanceTimersByTimeAsync(999);
    gate.resolve();
    expect(await pending).toEqual({ kind: "ok" });
    expect(context.signal.aborted).toBe(false);
  });

  it("times out: fires the context's abort, and settled later reports success", async () => {
    const gate = deferred();
    const context = newContext();
    let signalSeen: AbortSignal | undefined;
    const onAbort = vi.fn();
    const pending = runHandlers(
      [
        handler((_event, ctx) => {
          signalSeen = ctx.signal;
          ctx.signal.addEventListener("abort", onAbort);
          return gate.promise;
        }),
      ],
      event,
      context,
      1_000,
    );
    let resolved = false;
    void pending.then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(resolved).toBe(false);
    expect(onAbort).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(outcome.kind).toBe("timeout");
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(signalSeen?.aborted).toBe(true);
    expect(context.signal.aborted).toBe(true);
    if (outcome.kind !== "timeout") return;

    let settledValue: unknown = "pending";
    void outcome.settled.then((value) => (settledValue = value));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(settledValue).toBe("pending");
    gate.resolve();
    expect(await outcome.settled).toBeUndefined();
  });

  it.each([1, 2])("times out: settled later reports the real failure (%i handler(s))", async (count) => {
    const gate = deferred();
    const late = new Error("late");
    const handlers = [handler(() => gate.promise), handler(() => undefined)].slice(0, count);
    const pending = runHandlers(handlers, event, newContext(), 50);
    await vi.advanceTimersByTimeAsync(50);
    const outcome = await pending;
    expect(outcome.kind).toBe("timeout");
    if (outcome.kind !== "timeout") return;
    gate.reject(late);
    const error = await outcome.settled;
    expect(error).toBeInstanceOf(HandlerFailedError);
    expect(error).toEqual(expect.objectContaining({ code: "handler_failed" }));
    expect(error?.errors).toEqual([late]);
  });

  it("gives a signal created after the timeout in the aborted state", async () => {
    const gate = deferred();
    const context = newContext();
    const pending = runHandlers([handler(() => gate.promise)], event, context, 10);
    await vi.advanceTimersByTimeAsync(10);
    expect((await pending).kind).toBe("timeout");
    expect(context.signal.aborted).toBe(true);
    expect(context.signal.reason).toBeInstanceOf(Error);
    gate.resolve();
  });
});
