// The inspector's store: a ring of the newest deliveries, newest first, handler log lines joined to their delivery.
import { describe, expect, it } from "vitest";
import { createDeliveryStore, DEFAULT_KEPT_DELIVERIES, type StoreChange } from "../../../../src/dev/inspector/delivery-store.js";
import { MAX_KEPT_BODY_BYTES, type InspectedLogLine } from "../../../../src/dev/inspector/inspected-delivery.js";
import type { DeliveryObservation } from "../../../../src/pipeline/delivery-observer.js";

function observation(overrides: Partial<DeliveryObservation> = {}): DeliveryObservation {
  const eventId = "eventId" in overrides ? overrides.eventId : "evt_1";
  return {
    status: 200,
    outcome: "processed",
    eventId,
    eventType: eventId === undefined ? undefined : "response.completed",
    deliveryId: undefined,
    durationMs: 1.23456,
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ id: eventId, type: "response.completed" })),
    answer: { status: "processed", id: eventId ?? "" },
    answeredAt: 1_700_000_000_000,
    ...overrides,
  };
}

const line = (msg: string, fields: Record<string, unknown> = {}): InspectedLogLine => ({ time: 1, level: 30, msg, fields });

describe("createDeliveryStore", () => {
  it(`keeps the newest ${DEFAULT_KEPT_DELIVERIES}, newest first, numbered in order`, () => {
    const store = createDeliveryStore();
    for (let i = 1; i <= DEFAULT_KEPT_DELIVERIES + 20; i++) store.add(observation({ eventId: `evt_${i}` }));
    const list = store.list();
    expect(list).toHaveLength(DEFAULT_KEPT_DELIVERIES);
    expect(list[0]?.seq).toBe(DEFAULT_KEPT_DELIVERIES + 20);
    expect(list.at(-1)?.seq).toBe(21);
    expect(store.get(20)).toBeUndefined();
    expect(store.get(21)?.eventId).toBe("evt_21");
  });

  it("starts from saved deliveries and numbers new ones after them", () => {
    const first = createDeliveryStore({ capacity: 3 });
    for (let i = 1; i <= 5; i++) first.add(observation({ eventId: `evt_${i}` }));
    const second = createDeliveryStore({ capacity: 3, initial: [...first.list()].reverse() });
    expect(second.list().map((d) => d.seq)).toEqual([5, 4, 3]);
    expect(second.add(observation()).seq).toBe(6);
  });

  it("joins the log lines written while an event ran to its delivery, and sums up what the handlers did", () => {
    const store = createDeliveryStore();
    store.addLogLine("evt_1", line("handler says hello", { order: "o_1" }));
    store.addLogLine("evt_1", line("handler failed", { err: { type: "HandlerFailedError", message: "1 handler(s) failed", aggregateErrors: [{ message: "boom" }] } }));
    const delivery = store.add(observation({ status: 500, outcome: "handler_failed", answer: { error: "handler_failed", message: "a handler failed" } }));
    expect(delivery.logs.map((each) => each.msg)).toEqual(["handler says hello", "handler failed"]);
    expect(delivery.handlers).toBe("error: boom");
    // The next delivery of the same event starts with no lines of its own.
    expect(store.add(observation()).logs).toEqual([]);
  });

  it("adds a queued event's later worker lines to its delivery, and says each update", () => {
    const store = createDeliveryStore();
    const changes: StoreChange[] = [];
    store.subscribe((change) => changes.push(change));
    const queued = store.add(observation({ status: 202, outcome: "queued", answer: { status: "queued", id: "evt_1" } }));
    expect(queued.handlers).toBe("queued");
    store.addLogLine("evt_1", line("queued event failed; it will be retried", { attempt: 1, err: { message: "down" } }));
    expect(store.get(queued.seq)?.handlers).toBe("attempt 1: error: down (will retry)");
    store.addLogLine("evt_1", line("queued event handled", { attempt: 2, outcome: "processed" }));
    expect(store.get(queued.seq)?.handlers).toBe("attempt 2: ok");
    expect(store.get(queued.seq)?.logs).toHaveLength(2);
    expect(changes.map((change) => change.kind)).toEqual(["delivery", "delivery", "delivery"]);
  });

  it("marks refused deliveries not verified and keeps their body as text", () => {
    const store = createDeliveryStore();
    const refused = store.add(
      observation({ eventId: undefined, status: 401, outcome: "invalid_signature", body: Buffer.from("{tampered"), answer: { error: "invalid_signature", message: "" } }),
    );
    expect(refused).toMatchObject({ verified: false, handlers: "not run (refused)", body: "{tampered", bodyEncoding: "utf8", bodyTruncated: false });
    const unread = store.add(observation({ eventId: undefined, status: 415, outcome: "unsupported_media_type", body: undefined }));
    expect(unread.body).toBeUndefined();
    const binary = store.add(observation({ eventId: undefined, status: 400, outcome: "invalid_payload", body: Uint8Array.of(0xff, 0xfe) }));
    expect(binary).toMatchObject({ body: "//4=", bodyEncoding: "base64" });
    const large = store.add(observation({ body: Buffer.alloc(MAX_KEPT_BODY_BYTES + 1, 0x61) }));
    expect(large.bodyTruncated).toBe(true);
    expect(large.body).toHaveLength(MAX_KEPT_BODY_BYTES);
  });

  it("clears everything and says so", () => {
    const store = createDeliveryStore();
    const changes: StoreChange[] = [];
    const unsubscribe = store.subscribe((change) => changes.push(change));
    store.add(observation());
    store.clear();
    expect(store.list()).toEqual([]);
    expect(changes.map((change) => change.kind)).toEqual(["delivery", "clear"]);
    unsubscribe();
    store.add(observation());
    expect(changes).toHaveLength(2);
  });
});
