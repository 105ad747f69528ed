// OPS_PORT / OPS_HOST: health, readiness and metrics on their own listener (404 on the public one),
// /readyz answered from a state refreshed at most once a second, and no upstream detail in public.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import { uniqueEvent } from "../support/fixtures.js";
import { fakeClock } from "../support/fake-clock.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { freePort } from "../support/service-process.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { killAll, redisServer, type RedisServerProcess } from "../replay/redis-test-support.js";

const OPS_PATHS = ["/healthz", "/readyz", "/metrics"];
let service: TestService | undefined;
let redis: RedisServerProcess;

beforeAll(async () => {
  // A private redis-server: its PING count is this file's alone.
  redis = redisServer(await freePort());
  await redis.start();
});
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});
afterAll(() => killAll());

/** PING commands the private Redis has served so far. */
async function pings(): Promise<number> {
  const admin = createClient({ url: redis.url });
  await admin.connect();
  try {
    const stats = await admin.info("commandstats");
    return Number(/cmdstat_ping:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  } finally {
    admin.destroy();
  }
}

describe("OPS_PORT", () => {
  it("serves /healthz, /readyz and /metrics on the ops listener (127.0.0.1 by default) and 404 on the public one", async () => {
    service = await startTestService({ OPS_PORT: "0" });
    const opsUrl = service.opsUrl ?? "";
    expect(new URL(opsUrl).hostname).toBe("127.0.0.1");
    expect(new URL(opsUrl).port).not.toBe(new URL(service.url).port);
    for (const path of OPS_PATHS) {
      expect((await fetch(`${service.url}${path}`)).status, `public ${path}`).toBe(404);
      expect((await fetch(`${opsUrl}${path}`)).status, `ops ${path}`).toBe(200);
    }
    expect(await (await fetch(`${opsUrl}/metrics`)).text()).toContain("webhook_deliveries_total");
    // The webhook is served on the public listener only.
    const body = uniqueEvent();
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(200);
    expect((await fetch(`${opsUrl}/webhooks/chatgpt`, { method: "POST", body, headers: chatgptHeaders(body, TEST_SECRET) })).status).toBe(404);
  });

  it("keeps the ops endpoints on the public listener when OPS_PORT is unset", async () => {
    service = await startTestService();
    expect(service.opsUrl).toBeUndefined();
    for (const path of OPS_PATHS) expect((await fetch(`${service.url}${path}`)).status, path).toBe(200);
  });

  it("closes both listeners on shutdown", async () => {
    const target = await startTestService({ OPS_PORT: "0" });
    await target.shutdown();
    expect(target.server.listening).toBe(false);
    expect(target.opsServer?.listening).toBe(false);
    await expect(fetch(`${target.opsUrl ?? ""}/healthz`)).rejects.toThrow();
  });
});

describe("/readyz", () => {
  it("answers a burst of 100 calls with at most one replay store ping, and checks again only a second later", async () => {
    const clock = fakeClock(Date.now());
    service = await startTestService({ OPS_PORT: "0", REPLAY_STORE: redis.url, REDIS_KEY_PREFIX: `ops-${process.pid}:` }, { clock });
    const readyz = `${service.opsUrl ?? ""}/readyz`;
    const before = await pings();
    const statuses = await Promise.all(Array.from({ length: 100 }, async () => (await fetch(readyz)).status));
    expect(statuses).toEqual(statuses.map(() => 200));
    expect((await pings()) - before).toBeLessThanOrEqual(1);
    clock.advance(999);
    await fetch(readyz);
    expect((await pings()) - before).toBeLessThanOrEqual(1);
    clock.advance(1);
    await fetch(readyz);
    expect((await pings()) - before).toBe(2);
  });

  it("never includes upstream error details on the public listener; the ops listener says why", async () => {
    const closed = await freePort();
    const env = {
      WEBHOOK_SECRET: undefined,
      WEBHOOK_KEY_URL: `http://127.0.0.1:${closed}/v1/webhook-keys`,
      TOKEN_ENDPOINT: `http://127.0.0.1:${closed}/token`,
      CLIENT_ID: "ops-test-client",
      CLIENT_SECRET: "ops-test-client-secret",
    };
    const deliverAndReadyz = async (target: TestService, base: string): Promise<{ status: number; text: string }> => {
      const body = uniqueEvent();
      expect((await target.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(503); // the key load failed
      const ready = await fetch(`${base}/readyz`);
      return { status: ready.status, text: await ready.text() };
    };

    service = await startTestService(env);
    const publicAnswer = await deliverAndReadyz(service, service.url);
    expect(publicAnswer.status).toBe(503);
    expect(JSON.parse(publicAnswer.text)).toEqual({ status: "not_ready", checks: { keys: { ready: false }, replay_store: { ready: true } } });
    await service.shutdown();

    service = await startTestService({ ...env, OPS_PORT: "0" });
    const opsAnswer = await deliverAndReadyz(service, service.opsUrl ?? "");
    expect(opsAnswer.status).toBe(503);
    expect(JSON.parse(opsAnswer.text)).toMatchObject({ checks: { keys: { ready: false, reason: expect.stringContaining("token") as string } } });
  });
});
