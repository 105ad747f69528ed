// The receiver's observer hook: one observation per answer, with headers, raw body, answer and outcome; none of its failures reach the sender.
import { describe, expect, it } from "vitest";
import pino from "pino";
import type { DeliveryObservation } from "../../../src/pipeline/delivery-observer.js";
import { createWebhookReceiver } from "../../../src/receiver/create-receiver.js";
import type { BodyRead, WebhookRequest } from "../../../src/receiver/webhook-request.js";
import { createDeliveryStore } from "../../../src/dev/inspector/delivery-store.js";
import { createLogSink } from "../../../src/dev/inspector/log-sink.js";
import { chatgptHeaders } from "../../support/independent-signers.js";

const SECRET = "observer-unit-secret-0123456789";

function request(headers: Record<string, string>, body: Buffer): WebhookRequest {
  return { method: "POST", headers, clientKey: "127.0.0.1", readBody: (): Promise<BodyRead> => Promise.resolve({ kind: "read", body }) };
}

function signed(event: Record<string, unknown>): { headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(JSON.stringify(event));
  return { headers: { "content-type": "application/json", ...chatgptHeaders(body, SECRET, Math.floor(Date.now() / 1000)) }, body };
}

describe("the observer option", () => {
  it("reports each answer of handle() and receive() with its request", async () => {
    const seen: DeliveryObservation[] = [];
    const receiver = createWebhookReceiver({ secret: SECRET, observer: (observation) => seen.push(observation) });
    receiver.on("*", () => undefined);
    const { headers, body } = signed({ id: "evt_obs_1", type: "batch.completed" });
    expect((await receiver.handle(request(headers, body)))?.status).toBe(200);
    await receiver.receive({ headers, body });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ status: 200, outcome: "processed", eventId: "evt_obs_1", eventType: "batch.completed", answer: { status: "processed", id: "evt_obs_1" } });
    expect(Buffer.from(seen[0]!.body!).equals(body)).toBe(true);
    expect(seen[0]!.headers).toBe(headers);
    expect(seen[1]).toMatchObject({ outcome: "duplicate", answer: { status: "duplicate", id: "evt_obs_1" } });
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(0);
    await receiver.close();
  });

  it("reports refusals: the body as received when it was read, none when refused before", async () => {
    const seen: DeliveryObservation[] = [];
    const receiver = createWebhookReceiver({ secret: SECRET, observer: (observation) => seen.push(observation) });
    const { headers, body } = signed({ id: "evt_obs_2", type: "batch.completed" });
    const tampered = Buffer.from(body);
    tampered[5] = (tampered[5] ?? 0) ^ 1;
    expect((await receiver.handle(request(headers, tampered)))?.status).toBe(401);
    expect((await receiver.handle(request({ ...headers, "content-type": "text/plain" }, body)))?.status).toBe(415);
    expect(seen.map((each) => [each.outcome, each.eventId, each.body === undefined ? undefined : Buffer.from(each.body).toString()])).toEqual([
      ["invalid_signature", undefined, tampered.toString()],
      ["unsupported_media_type", undefined, undefined],
    ]);
    await receiver.close();
  });

  it("answers the sender even when the observer throws", async () => {
    const receiver = createWebhookReceiver({
      secret: SECRET,
      observer: () => {
        throw new Error("observer bug");
      },
    });
    const { headers, body } = signed({ id: "evt_obs_3", type: "batch.completed" });
    expect(await receiver.handle(request(headers, body))).toMatchObject({ status: 200, body: { status: "ignored" } });
    await receiver.close();
  });

  it("with the inspector's store and log sink: a failing handler's own message and its log lines land on its delivery", async () => {
    const store = createDeliveryStore();
    const logger = pino({ level: "info" }, createLogSink((eventId, line) => store.addLogLine(eventId, line)));
    const receiver = createWebhookReceiver({ secret: SECRET, logger, observer: (observation) => void store.add(observation) });
    receiver.on("batch.completed", (_event, context) => {
      context.logger.info({ step: 1 }, "charging the order");
      throw new Error("payment service said no");
    });
    const { headers, body } = signed({ id: "evt_obs_4", type: "batch.completed" });
    expect((await receiver.handle(request(headers, body)))?.status).toBe(500);
    const [delivery] = store.list();
    expect(delivery?.handlers).toBe("error: payment service said no");
    expect(delivery?.logs.map((line) => line.msg)).toEqual(["charging the order", "handler failed"]);
    await receiver.close();
  });
});
