// One behaviour suite, every adapter: each status and error code, both schemes, duplicates and limits over real HTTP.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryFailedError, ErrorCode } from "../../src/errors.js";
import { createMemoryReplayStore } from "../../src/replay/memory-replay-store.js";
import type { ReplayStore } from "../../src/replay/replay-store.js";
import { createWebhookReceiver, type WebhookReceiver } from "../../src/receiver/create-receiver.js";
import { chatgptHeaders, standardHeaders } from "../support/independent-signers.js";
import { ADAPTERS, type AdapterServer } from "./adapter-servers.js";

const SECRET = "adapter-suite-secret-0123456789";
const WHSEC = `whsec_${Buffer.from("adapter-suite-standard-key-0123").toString("base64")}`;

/** Switches that make the key source or the replay store fail, as a provider or Redis outage would. */
const outage = { keys: false, store: false };

function mainReceiver(handled: string[], gate: { open: () => void; wait: Promise<void> }): WebhookReceiver {
  const store = createMemoryReplayStore();
  const failing: ReplayStore = {
    ...store,
    claim: (key, lease) => {
      if (outage.store) throw new Error("store down");
      return store.claim(key, lease);
    },
  };
  const receiver = createWebhookReceiver({
    keySource: {
      getKeys: () => {
        if (outage.keys) throw new DeliveryFailedError(ErrorCode.VERIFICATION_KEY_UNAVAILABLE, "no key", { retryAfterSeconds: 7 });
        return [{ secret: SECRET }];
      },
      readiness: () => ({ ready: true }),
    },
    replayStore: failing,
    maxBodyBytes: 4096,
    handlerTimeoutMs: 300,
    rateLimitPerMinute: 0,
    rateLimitFailuresPerMinute: 0,
  });
  receiver.on("response.completed", (event) => void handled.push(event.id));
  receiver.on("response.failed", () => {
    throw new Error("handler broke");
  });
  receiver.on("response.incomplete", () => gate.wait);
  return receiver;
}

const event = (type: string, extra: Record<string, unknown> = {}): Buffer =>
  Buffer.from(JSON.stringify({ id: `evt_${randomUUID()}`, type, data: {}, ...extra }));

describe.each(Object.keys(ADAPTERS) as Array<keyof typeof ADAPTERS>)("the %s adapter", (name) => {
  let server: AdapterServer;
  const handled: string[] = [];
  let release = (): void => undefined;
  const gate = { open: () => release(), wait: new Promise<void>((resolve) => (release = resolve)) };
  const receivers: WebhookReceiver[] = [];
  let forbiddenCount = (): Promise<number> => Promise.resolve(0);

  beforeAll(async () => {
    const main = mainReceiver(handled, gate);
    const limited = createWebhookReceiver({ secret: SECRET, rateLimitPerMinute: 1000, rateLimitFailuresPerMinute: 3 });
    const standard = createWebhookReceiver({ scheme: "standard", secret: WHSEC, rateLimitPerMinute: 0, rateLimitFailuresPerMinute: 0 });
    standard.on("*", (e) => void handled.push(e.id));
    const loopbackOnly = createWebhookReceiver({ secret: SECRET, allowedSourceIps: "127.0.0.0/8, ::1" });
    const elsewhereOnly = createWebhookReceiver({ secret: SECRET, allowedSourceIps: "203.0.113.0/24, 2001:db8::/32" });
    receivers.push(main, limited, standard, loopbackOnly, elsewhereOnly);
    server = await ADAPTERS[name]({
      "/hooks/main": main,
      "/hooks/limited": limited,
      "/hooks/standard": standard,
      "/hooks/loopback-only": loopbackOnly,
      "/hooks/elsewhere-only": elsewhereOnly,
    });
    forbiddenCount = async () => {
      const metric = await elsewhereOnly.metrics.registry.getSingleMetric("webhook_deliveries_total")?.get();
      return metric?.values.find((value) => value.labels.outcome === "forbidden_source")?.value ?? 0;
    };
  });
  afterAll(async () => {
    gate.open();
    await server.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const post = (path: string, body: Buffer | string, headers: Record<string, string>, contentType = "application/json") =>
    fetch(`${server.url}${path}`, { method: "POST", body, headers: { "content-type": contentType, ...headers } });
  const signedPost = (body: Buffer, t?: number) => post("/hooks/main", body, chatgptHeaders(body, SECRET, t));
  const answer = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, string> });

  it("200 processed, then 200 duplicate for the same event, the handler run once; security headers on the answer", async () => {
    const body = event("response.completed");
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    const first = await signedPost(body);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(await answer(first)).toEqual({ status: 200, body: { status: "processed", id } });
    expect(await answer(await signedPost(body))).toEqual({ status: 200, body: { status: "duplicate", id } });
    expect(handled.filter((handledId) => handledId === id)).toHaveLength(1);
  });

  it("200 ignored for a type no handler wants", async () => {
    expect((await answer(await signedPost(event("batch.completed")))).body).toMatchObject({ status: "ignored" });
  });

  it.each([
    ["missing_header", 400, (_body: Buffer) => ({ "x-chatgpt-timestamp": String(Math.floor(Date.now() / 1000)) })],
    ["malformed_header", 400, (body: Buffer) => ({ ...chatgptHeaders(body, SECRET), "x-chatgpt-signature": "v1=zz" })],
    ["invalid_signature", 401, (body: Buffer) => chatgptHeaders(body, "another-secret-0123456789abc")],
    ["timestamp_out_of_tolerance", 401, (body: Buffer) => chatgptHeaders(body, SECRET, Math.floor(Date.now() / 1000) - 3600)],
  ])("%s: %i", async (code, status, headersFor) => {
    const body = event("response.completed");
    expect(await answer(await post("/hooks/main", body, headersFor(body)))).toMatchObject({ status, body: { error: code } });
  });

  it("invalid_payload: 400 for a signed body that is not an event", async () => {
    const body = Buffer.from("[1,2,3]");
    expect(await answer(await signedPost(body))).toMatchObject({ status: 400, body: { error: "invalid_payload" } });
  });

  it("method_not_allowed: 405 with Allow: POST", async () => {
    const response = await fetch(`${server.url}/hooks/main`);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await answer(response)).toMatchObject({ status: 405, body: { error: "method_not_allowed" } });
  });

  it("handler_timeout: 503, then delivery_in_progress: 409 with Retry-After while it still runs, then duplicate", async () => {
    const body = event("response.incomplete");
    const first = await signedPost(body);
    expect(await answer(first)).toMatchObject({ status: 503, body: { error: "handler_timeout" } });
    const retry = await signedPost(body);
    expect(retry.headers.get("retry-after")).toBe("5");
    expect(await answer(retry)).toMatchObject({ status: 409, body: { error: "delivery_in_progress" } });
    gate.open();
    await expect.poll(async () => (await answer(await signedPost(body))).body.status, { timeout: 5_000 }).toBe("duplicate");
  });

  it("payload_too_large: 413 for a declared body over the limit", async () => {
    const body = event("response.completed", { padding: "x".repeat(5000) });
    expect(await answer(await signedPost(body))).toMatchObject({ status: 413, body: { error: "payload_too_large" } });
  });

  it("unsupported_media_type: 415", async () => {
    const body = event("response.completed");
    expect(await answer(await post("/hooks/main", body, chatgptHeaders(body, SECRET), "text/plain"))).toMatchObject({
      status: 415,
      body: { error: "unsupported_media_type" },
    });
  });

  it("handler_failed: 500, and the event is not marked handled (the retry runs it again)", async () => {
    const body = event("response.failed");
    expect(await answer(await signedPost(body))).toMatchObject({ status: 500, body: { error: "handler_failed" } });
    expect(await answer(await signedPost(body))).toMatchObject({ status: 500, body: { error: "handler_failed" } });
  });

  it.each([
    ["verification_key_unavailable", "keys", "7"],
    ["replay_store_unavailable", "store", "2"],
  ] as const)("%s: 503 with Retry-After", async (code, which, retryAfter) => {
    outage[which] = true;
    try {
      const response = await signedPost(event("response.completed"));
      expect(response.headers.get("retry-after")).toBe(retryAfter);
      expect(await answer(response)).toMatchObject({ status: 503, body: { error: code } });
    } finally {
      outage[which] = false;
    }
  });

  it("rate_limited: 429 with RateLimit headers once the failure limit is reached, for valid deliveries too", async () => {
    const forged = event("response.completed");
    for (let i = 0; i < 3; i++) {
      expect((await post("/hooks/limited", forged, chatgptHeaders(forged, "forged-secret-0123456789abcdef"))).status).toBe(401);
    }
    const valid = event("response.completed");
    const refused = await post("/hooks/limited", valid, chatgptHeaders(valid, SECRET));
    expect(refused.headers.get("ratelimit-policy")).toBe("3;w=60");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await answer(refused)).toMatchObject({ status: 429, body: { error: "rate_limited" } });
  });

  it("forbidden_source: 403 for an address outside ALLOWED_SOURCE_IPS (counted), and an allowed one is processed", async () => {
    const body = event("response.completed");
    const before = await forbiddenCount();
    expect(await answer(await post("/hooks/elsewhere-only", body, chatgptHeaders(body, SECRET)))).toMatchObject({
      status: 403,
      body: { error: "forbidden_source" },
    });
    expect(await forbiddenCount()).toBe(before + 1);
    expect((await answer(await post("/hooks/loopback-only", body, chatgptHeaders(body, SECRET)))).body).toMatchObject({ status: "ignored" });
  });

  it("answers only its paths: another path is passed on (next) and ends in a 404", async () => {
    const body = event("response.completed");
    expect((await post("/hooks/elsewhere", body, chatgptHeaders(body, SECRET))).status).toBe(404);
  });

  it("standard scheme: signed by standardwebhooks, processed once, the retry with a fresh timestamp a duplicate", async () => {
    const body = event("response.completed");
    const id = `msg_${randomUUID()}`;
    const first = await post("/hooks/standard", body, standardHeaders(body, WHSEC, id));
    expect((await answer(first)).body).toMatchObject({ status: "processed" });
    const retry = await post("/hooks/standard", body, standardHeaders(body, WHSEC, id, Math.floor(Date.now() / 1000) + 5));
    expect((await answer(retry)).body).toMatchObject({ status: "duplicate" });
    const tampered = await post("/hooks/standard", Buffer.concat([body, Buffer.from(" ")]), standardHeaders(body, WHSEC, id));
    expect(await answer(tampered)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
  });
});
