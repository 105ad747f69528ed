// The pipeline's steps without HTTP, on a fake clock: verify, claim and dispatch, and what each answer reports.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { DeliveryFailedError, ErrorCode } from "../../../src/errors.js";
import { createHandlerRegistry } from "../../../src/dispatch/handler-registry.js";
import type { KeySource } from "../../../src/keys/key-source.js";
import { createStaticKeySource } from "../../../src/keys/static-key-source.js";
import { createReceiverMetrics } from "../../../src/observability/metrics.js";
import { createPipeline } from "../../../src/pipeline/receive-delivery.js";
import { createReplayGuard } from "../../../src/pipeline/replay-guard.js";
import { createMemoryReplayStore } from "../../../src/replay/memory-replay-store.js";
import type { ReplayStore } from "../../../src/replay/replay-store.js";
import { chatgptScheme } from "../../../src/signature/chatgpt-scheme.js";
import { chatgptHeaders } from "../../support/independent-signers.js";
import { fakeClock } from "../../support/fake-clock.js";

const SECRET = "pipeline-unit-secret-0123456789";

function setup(keySource: KeySource = createStaticKeySource([SECRET]), wrapStore: (store: ReplayStore) => ReplayStore = (store) => store) {
  const clock = fakeClock();
  const logger = pino({ level: "silent" });
  const metrics = createReceiverMetrics();
  const handlers = createHandlerRegistry();
  const replay = createReplayGuard({
    store: wrapStore(createMemoryReplayStore({ clock })),
    leaseMs: 30_000,
    retentionSeconds: 345_600,
    toleranceSeconds: 300,
    clock,
    logger,
    metrics,
  });
  const pipeline = createPipeline({ scheme: chatgptScheme, toleranceSeconds: 300, keySource, replay, handlers, handlerTimeoutMs: 1000, clock, logger, metrics });
  const deliver = (event: Record<string, unknown>, secret = SECRET, extraHeaders: Record<string, string> = {}) => {
    const body = Buffer.from(JSON.stringify(event));
    return pipeline.receive({ headers: { ...chatgptHeaders(body, secret, Math.floor(clock.now() / 1000)), ...extraHeaders }, body });
  };
  return { clock, handlers, pipeline, deliver };
}

describe("the pipeline on its own", () => {
  it("processes once, then answers duplicate, reporting the event's id, type and delivery id", async () => {
    const { handlers, deliver } = setup();
    const runs: string[] = [];
    handlers.on("response.completed", (event) => void runs.push(event.id));
    const event = { id: "evt_1", type: "response.completed" };
    expect(await deliver(event, SECRET, { "x-chatgpt-event-id": "dlv_1" })).toEqual({
      status: 200,
      body: { status: "processed", id: "evt_1" },
      outcome: "processed",
      retryAfterSeconds: undefined,
      eventId: "evt_1",
      eventType: "response.completed",
      deliveryId: "dlv_1",
    });
    expect(await deliver(event)).toMatchObject({ status: 200, outcome: "duplicate" });
    expect(runs).toEqual(["evt_1"]);
  });

  it("sends a remote store's done mark before answering but does not wait for its reply; a drain does", async () => {
    // A store answering like Redis: the done mark is applied when sent, its reply comes later.
    const replies: Array<() => void> = [];
    const { handlers, deliver, pipeline } = setup(undefined, (store) => ({
      ...store,
      complete: (key, owner, ttlMs) => {
        const done = store.complete(key, owner, ttlMs);
        return new Promise<boolean>((resolve) => replies.push(() => resolve(done)));
      },
    }));
    handlers.on("response.completed", () => undefined);
    expect(await deliver({ id: "evt_m", type: "response.completed" })).toMatchObject({ status: 200, outcome: "processed" });
    expect(await deliver({ id: "evt_n", type: "batch.completed" })).toMatchObject({ status: 200, outcome: "ignored" });
    expect(replies).toHaveLength(2);
    expect(await deliver({ id: "evt_m", type: "response.completed" })).toMatchObject({ outcome: "duplicate" });
    expect(pipeline.inFlight.count).toBe(2);
    let drained = false;
    const draining = pipeline.inFlight.drained().then(() => (drained = true));
    replies.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pipeline.inFlight.count).toBe(1);
    expect(drained).toBe(false);
    replies.shift()?.();
    await draining;
    expect(pipeline.inFlight.count).toBe(0);
  });

  it("ends the done mark's flight when the store refuses it, with no unhandled rejection", async () => {
    const { handlers, deliver, pipeline } = setup(undefined, (store) => ({
      ...store,
      complete: () => Promise.reject(new Error("store went away")),
    }));
    handlers.on("response.completed", () => undefined);
    expect(await deliver({ id: "evt_r", type: "response.completed" })).toMatchObject({ status: 200, outcome: "processed" });
    await pipeline.inFlight.drained();
    expect(pipeline.inFlight.count).toBe(0);
  });

  it("acknowledges an event no handler wants as ignored, and remembers it", async () => {
    const { deliver } = setup();
    expect(await deliver({ id: "evt_2", type: "batch.completed" })).toMatchObject({ status: 200, outcome: "ignored" });
    expect(await deliver({ id: "evt_2", type: "batch.completed" })).toMatchObject({ outcome: "duplicate" });
  });

  it("refuses a delivery signed an hour before the clock, without reading the body", async () => {
    const { clock, pipeline } = setup();
    const body = Buffer.from("not even json");
    const headers = chatgptHeaders(body, SECRET, Math.floor(clock.now() / 1000));
    clock.advance(3_600_000);
    expect(await pipeline.receive({ headers, body })).toMatchObject({ status: 401, outcome: "timestamp_out_of_tolerance", eventId: undefined });
  });

  it("releases the claim of a failed handler, so the retry runs it again", async () => {
    const { handlers, deliver } = setup();
    let calls = 0;
    handlers.on("response.failed", () => {
      calls++;
      if (calls === 1) throw new Error("first try fails");
    });
    expect(await deliver({ id: "evt_3", type: "response.failed" })).toMatchObject({ status: 500, outcome: "handler_failed", eventId: "evt_3" });
    expect(await deliver({ id: "evt_3", type: "response.failed" })).toMatchObject({ status: 200, outcome: "processed" });
    expect(calls).toBe(2);
  });

  it("answers invalid_signature for a wrong key, and verification_key_unavailable when the forced refresh may not run", async () => {
    expect(await setup().deliver({ id: "evt_4", type: "x" }, "wrong-secret-0123456789abcdef")).toMatchObject({ status: 401, outcome: "invalid_signature" });
    const throttled: KeySource = {
      getKeys: () => [{ secret: SECRET }],
      refreshAfterMismatch: () => Promise.reject(new DeliveryFailedError(ErrorCode.VERIFICATION_KEY_UNAVAILABLE, "throttled", { retryAfterSeconds: 4 })),
      readiness: () => ({ ready: true }),
    };
    expect(await setup(throttled).deliver({ id: "evt_5", type: "x" }, "rotated-secret-0123456789abcd")).toMatchObject({
      status: 503,
      outcome: "verification_key_unavailable",
      retryAfterSeconds: 4,
    });
  });
  it("verifies with keys a source answers later, as a native promise or another library's thenable", async () => {
    // A thenable that is not a Promise (another library's or realm's): checked with isThenable, not instanceof.
    // Its `then` answers another such thenable, never a native Promise.
    interface Foreign {
      then(onOk?: (value: unknown) => unknown, onError?: (error: unknown) => unknown): Foreign;
    }
    const foreign = (promise: Promise<unknown>): Foreign => ({ then: (onOk, onError) => foreign(promise.then(onOk, onError)) });
    const sources: KeySource[] = [
      { getKeys: () => Promise.resolve([{ secret: SECRET }]), readiness: () => ({ ready: true }) },
      { getKeys: () => foreign(Promise.resolve([{ secret: SECRET }])) as unknown as Promise<[{ secret: string }]>, readiness: () => ({ ready: true }) },
    ];
    for (const [index, source] of sources.entries()) {
      const { handlers, deliver } = setup(source);
      let runs = 0;
      handlers.on("*", () => void runs++);
      const event = { id: `evt_later_${index}`, type: "response.completed" };
      expect(await deliver(event)).toMatchObject({ status: 200, outcome: "processed", eventId: event.id });
      expect(await deliver(event)).toMatchObject({ status: 200, outcome: "duplicate" });
      expect(await deliver({ id: `evt_forged_${index}`, type: "x" }, "wrong-secret-0123456789abcdef")).toMatchObject({ status: 401, outcome: "invalid_signature" });
      expect(runs).toBe(1);
    }
  });
});
