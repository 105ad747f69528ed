// README promises over real HTTP that no other test covered: 503 replay_store_unavailable with
// Retry-After and the /readyz reason, 500 internal_error, a custom WEBHOOK_PATH, the eviction
// counter, and no log line ever holding a body.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { deleteKeys, eventually, freePort, killAll, LOCAL_REDIS_URL, redisServer } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";

let service: TestService | undefined;
const prefixes: string[] = [];
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});
afterAll(async () => {
  killAll();
  await Promise.all(prefixes.map((prefix) => deleteKeys(LOCAL_REDIS_URL, prefix)));
});

const signedPost = (target: TestService, body: Buffer): Promise<Response> => target.post(body, chatgptHeaders(body, TEST_SECRET));

const metricValue = async (target: TestService, name: string): Promise<number> => {
  const text = await (await fetch(`${target.url}/metrics`)).text();
  const line = text.split("\n").find((entry) => entry.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(" ")[1]);
};

describe("README answers", () => {
  it("answers 503 replay_store_unavailable with Retry-After while Redis is down, /readyz says why, and recovers by itself", { timeout: 60_000 }, async () => {
    const redis = redisServer(await freePort());
    await redis.start();
    const prefix = `cwr-test:${randomUUID()}:`;
    prefixes.push(prefix);
    service = await startTestService(
      { REPLAY_STORE: redis.url, REDIS_KEY_PREFIX: prefix, OPS_PORT: "0" },
      { register: (receiver) => receiver.on("*", () => undefined) },
    );
    const target = service;
    expect((await signedPost(target, uniqueEvent())).status).toBe(200);

    await redis.kill();
    const body = uniqueEvent();
    const refused = await signedPost(target, body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(await refused.json()).toEqual({ error: "replay_store_unavailable", message: expect.any(String) as unknown });
    // The reason is told on the ops listener only (it may carry upstream details).
    const ready = await fetch(`${target.opsUrl ?? ""}/readyz`);
    expect(ready.status).toBe(503);
    const readiness = (await ready.json()) as { status: string; checks: { replay_store: { ready: boolean; reason?: string } } };
    expect(readiness.status).toBe("not_ready");
    expect(readiness.checks.replay_store.ready).toBe(false);
    expect(readiness.checks.replay_store.reason).toMatch(/redis/);

    await redis.start();
    const recovered = await eventually(async () => (await fetch(`${target.opsUrl ?? ""}/readyz`)).status === 200, 10_000);
    expect(recovered).toBe(true);
    // The sender's retry of the refused delivery now goes through, once.
    expect(await (await signedPost(target, body)).json()).toMatchObject({ status: "processed" });
    expect(await (await signedPost(target, body)).json()).toMatchObject({ status: "duplicate" });
  });

  it("answers a bug on our side with 500 internal_error, logged, without its message or stack", async () => {
    let broken = false;
    const secretDetail = `clock exploded ${randomUUID()}`;
    const clock = {
      now: (): number => {
        if (broken) throw new TypeError(secretDetail);
        return Date.now();
      },
    };
    service = await startTestService({}, { clock, register: (receiver) => receiver.on("*", () => undefined) });
    broken = true;
    const response = await signedPost(service, uniqueEvent());
    broken = false;
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "internal_error", message: expect.any(String) as unknown });
    expect(text).not.toContain(secretDetail);
    expect(text).not.toMatch(/at .+:\d+:\d+/); // no stack frame
    expect(service.logs.some((line) => line.level === 50 && JSON.stringify(line).includes(secretDetail))).toBe(true);
    // And the service keeps serving.
    expect((await signedPost(service, uniqueEvent())).status).toBe(200);
  });

  it("serves a custom WEBHOOK_PATH, and only there", async () => {
    service = await startTestService({ WEBHOOK_PATH: "/hooks/openai" }, { register: (receiver) => receiver.on("*", () => undefined) });
    expect(service.webhookUrl).toBe(`${service.url}/hooks/openai`);
    const body = uniqueEvent();
    const headers = { "content-type": "application/json", ...chatgptHeaders(body, TEST_SECRET) };
    const atDefault = await fetch(`${service.url}/webhooks/chatgpt`, { method: "POST", body, headers });
    expect(atDefault.status).toBe(404);
    const atCustom = await fetch(`${service.url}/hooks/openai`, { method: "POST", body, headers });
    expect(atCustom.status).toBe(200);
    expect(await atCustom.json()).toMatchObject({ status: "processed" });
  });

  it("counts memory-store evictions in webhook_replay_evictions_total", async () => {
    service = await startTestService({ REPLAY_MAX_ENTRIES: "2" }, { register: (receiver) => receiver.on("*", () => undefined) });
    expect(await metricValue(service, "webhook_replay_evictions_total")).toBe(0);
    const first = uniqueEvent();
    for (const body of [first, uniqueEvent(), uniqueEvent()]) expect((await signedPost(service, body)).status).toBe(200);
    expect(await metricValue(service, "webhook_replay_evictions_total")).toBe(1);
    // The evicted id is forgotten: within its time window it would run again (why it is counted).
    expect(await (await signedPost(service, first)).json()).toMatchObject({ status: "processed" });
    expect(await metricValue(service, "webhook_replay_evictions_total")).toBe(2);
  });

  it("never writes a body to a log line, whatever the outcome", async () => {
    const marker = `body-marker-${randomUUID()}`;
    let fail = false;
    service = await startTestService({ WEBHOOK_MAX_BODY_BYTES: "2048" }, {
      register: (receiver) =>
        receiver.on("*", () => {
          if (fail) throw new Error("handler failed");
        }),
    });
    const target = service;
    const withMarker = (extra: Record<string, unknown> = {}): Buffer => uniqueEvent("response.completed", { note: marker, ...extra });
    const statuses: number[] = [];
    const send = async (body: Buffer, headers: Record<string, string>, contentType?: string): Promise<void> => {
      const response = await target.post(body, headers, contentType);
      await response.arrayBuffer();
      statuses.push(response.status);
    };
    const processed = withMarker();
    await send(processed, chatgptHeaders(processed, TEST_SECRET)); // 200
    await send(processed, chatgptHeaders(processed, TEST_SECRET)); // 200 duplicate
    const forged = withMarker();
    await send(forged, chatgptHeaders(forged, "forged-secret-0123456789abcdef")); // 401
    const notAnEvent = Buffer.from(JSON.stringify({ note: marker }));
    await send(notAnEvent, chatgptHeaders(notAnEvent, TEST_SECRET)); // 400 invalid_payload
    const tooLarge = withMarker({ pad: "x".repeat(4096) });
    await send(tooLarge, chatgptHeaders(tooLarge, TEST_SECRET)); // 413
    await send(withMarker(), chatgptHeaders(withMarker(), TEST_SECRET), "text/plain"); // 415
    fail = true;
    const failing = withMarker();
    await send(failing, chatgptHeaders(failing, TEST_SECRET)); // 500 handler_failed
    expect(statuses).toEqual([200, 200, 401, 400, 413, 415, 500]);
    expect(target.logs.length).toBeGreaterThan(statuses.length); // the service did log, at debug level
    expect(target.rawLogs()).not.toContain(marker);
  });
});
