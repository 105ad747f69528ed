// Handled ids outlive the provider's 72-hour retries: a retry after a lost answer is a duplicate, in both stores.
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import pino from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createReceiverMetrics } from "../../src/observability/metrics.js";
import { createReplayGuard } from "../../src/pipeline/replay-guard.js";
import { createRedisReplayStore } from "../../src/replay/redis-replay-store.js";
import { chatgptHeaders, standardHeaders } from "../support/independent-signers.js";
import { fakeClock } from "../support/fake-clock.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { LOCAL_REDIS_URL, deleteKeys, eventually } from "../replay/redis-test-support.js";

const PREFIX = `cwr-test:${randomUUID()}:`;
const WHSEC = `whsec_${Buffer.from("retention-test-key-0123456789abcdef").toString("base64")}`;
const running: TestService[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.shutdown()));
});
afterAll(async () => {
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

async function pttl(key: string): Promise<number> {
  const client = createClient({ url: LOCAL_REDIS_URL });
  await client.connect();
  try {
    return await client.pTTL(key);
  } finally {
    client.destroy();
  }
}

describe("done marks in Redis", () => {
  it("live REPLAY_RETENTION_SECONDS (default 4 days), not 2 x tolerance", async () => {
    const prefix = `${PREFIX}default:`;
    const service = await startTestService({ REPLAY_STORE: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: prefix });
    running.push(service);
    const body = uniqueEvent();
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(200);
    const ttl = await pttl(`${prefix}replay:chatgpt:${id}`);
    expect(ttl).toBeGreaterThan(345_600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(345_600_000);
  });

  it("never expire before the delivery's freshness window closes, even with a short retention", async () => {
    const prefix = `${PREFIX}short:`;
    const service = await startTestService({
      REPLAY_STORE: LOCAL_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      REPLAY_RETENTION_SECONDS: "5",
      WEBHOOK_SCHEME: "standard",
      WEBHOOK_SECRET: WHSEC,
    });
    running.push(service);
    const body = uniqueEvent();
    const signedAt = Math.floor(Date.now() / 1000) + 250; // 250 s ahead: the window closes 551 s from now
    const headers = standardHeaders(body, WHSEC, "msg_retention_short", signedAt);
    expect((await service.post(body, headers)).status).toBe(200);
    expect(await pttl(`${prefix}replay:standard:msg_retention_short`)).toBeGreaterThan(540_000);
  });

  it("are extended at once when a handler outlives its timeout (a claim near its end is not lost)", async () => {
    const store = createRedisReplayStore({ url: LOCAL_REDIS_URL, keyPrefix: `${PREFIX}hold:` });
    await store.connection.waitUntilReady(2_000);
    const metrics = createReceiverMetrics();
    const guard = createReplayGuard({
      store,
      leaseMs: 30_000,
      retentionSeconds: 345_600,
      toleranceSeconds: 300,
      clock: { now: () => Date.now() },
      logger: pino({ level: "silent" }),
      metrics,
    });
    const claim = await guard.claim("evt");
    if (claim.status !== "claimed") throw new Error("expected a claim");
    // The lease has nearly run out by the time the handler timeout fires (admin PEXPIRE).
    const admin = createClient({ url: LOCAL_REDIS_URL });
    await admin.connect();
    await admin.pExpire(`${PREFIX}hold:evt`, 2_000);
    admin.destroy();
    let settle = (): void => undefined;
    guard.holdUntil("evt", claim.owner, new Promise<void>((resolve) => (settle = resolve)));
    expect(await eventually(async () => (await pttl(`${PREFIX}hold:evt`)) > 20_000, 5_000)).toBe(true);
    settle();
    await store.close();
  });
});

describe("a retry three days after a lost answer", () => {
  it("is answered duplicate by the memory store, and the handler ran once", async () => {
    const clock = fakeClock(Date.now());
    let runs = 0;
    const service = await startTestService({}, { clock, register: (receiver) => receiver.on("*", () => void runs++) });
    running.push(service);
    const body = uniqueEvent();
    const at = (): number => Math.floor(clock.now() / 1000);
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET, at()))).status).toBe(200);
    clock.advance(72 * 3600 * 1000); // the provider's last retry, re-signed with a fresh timestamp
    const retry = await service.post(body, chatgptHeaders(body, TEST_SECRET, at()));
    expect(await retry.json()).toMatchObject({ status: "duplicate" });
    expect(runs).toBe(1);
  });
});
