// Two service processes on one Redis: exactly-once across instances, shared rate limits, and a Redis
// outage mid-batch that loses and doubles nothing once the senders' retries complete.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { deleteKeys, eventually, freePort, killAll, LOCAL_REDIS_URL, redisServer } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET } from "../support/service.js";
import { startServiceProcess, type ServiceProcess } from "../support/service-process.js";

const dir = mkdtempSync(join(tmpdir(), "cwr-multi-"));
const prefixes: string[] = [];
let running: ServiceProcess[] = [];

afterEach(async () => {
  await Promise.all(running.map((service) => service.stop()));
  running = [];
});
afterAll(async () => {
  killAll();
  await Promise.all(prefixes.map((prefix) => deleteKeys(LOCAL_REDIS_URL, prefix)));
  rmSync(dir, { recursive: true, force: true });
});

async function startPair(redisUrl: string, env: Record<string, string> = {}): Promise<{ a: ServiceProcess; b: ServiceProcess; log: string; prefix: string }> {
  const prefix = `cwr-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const log = join(dir, `${randomUUID()}.log`);
  writeFileSync(log, "");
  const common = {
    WEBHOOK_SECRET: TEST_SECRET,
    REPLAY_STORE: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    HANDLERS: "test/support/recording-handlers.ts",
    HANDLED_LOG: log,
    RATE_LIMIT_PER_MINUTE: "100000",
    RATE_LIMIT_FAILURES_PER_MINUTE: "100000",
    ...env,
  };
  const [a, b] = await Promise.all([startServiceProcess(common), startServiceProcess(common)]);
  running.push(a, b);
  return { a, b, log, prefix };
}

const handledCounts = (log: string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const id of readFileSync(log, "utf8").split("\n").filter(Boolean)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};

const post = (url: string, body: Buffer, headers: Record<string, string>): Promise<number> =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }).then(
    async (response) => (await response.arrayBuffer(), response.status),
    () => 0,
  );

// Each test boots two tsx processes: on a loaded two-core machine that alone can take many
// seconds, so the tests get a deadline well above it rather than the suite's 20 s default.
describe("several instances on one Redis", { timeout: 120_000 }, () => {
  it("handles each event exactly once when every delivery goes to both instances at once, and again later", async () => {
    const { a, b, log } = await startPair(LOCAL_REDIS_URL);
    const events = Array.from({ length: 40 }, () => uniqueEvent());
    const signed = events.map((body) => ({ body, headers: chatgptHeaders(body, TEST_SECRET), id: (JSON.parse(body.toString()) as { id: string }).id }));
    const first = await Promise.all(signed.flatMap(({ body, headers }) => [post(a.webhookUrl, body, headers), post(b.webhookUrl, body, headers)]));
    for (const status of first) expect([200, 409]).toContain(status);
    const again = await Promise.all(signed.flatMap(({ body, headers }) => [post(a.webhookUrl, body, headers), post(b.webhookUrl, body, headers)]));
    expect(new Set(again)).toEqual(new Set([200]));
    const counts = handledCounts(log);
    for (const { id } of signed) expect(counts.get(id), id).toBe(1);
    expect(counts.size).toBe(signed.length);
  });

  it("shares the failure rate limit: failures at one instance make the other answer 429", async () => {
    const { a, b } = await startPair(LOCAL_REDIS_URL, { RATE_LIMIT_FAILURES_PER_MINUTE: "4" });
    const forged = uniqueEvent();
    const headers = chatgptHeaders(forged, "forged-secret-0123456789abcdef");
    expect(await post(a.webhookUrl, forged, headers)).toBe(401);
    expect(await post(b.webhookUrl, forged, headers)).toBe(401);
    expect(await post(a.webhookUrl, forged, headers)).toBe(401);
    expect(await post(b.webhookUrl, forged, headers)).toBe(401);
    const valid = uniqueEvent();
    expect(await post(a.webhookUrl, valid, chatgptHeaders(valid, TEST_SECRET))).toBe(429);
  });

  it.each([
    ["10000", "1"],
    ["0", "5"],
  ])("with RATE_LIMIT_SYNC_MS=%s, five deliveries of a busy client leave a shared request count of %s in Redis", async (syncMs, shared) => {
    const { a, prefix } = await startPair(LOCAL_REDIS_URL, { RATE_LIMIT_SYNC_MS: syncMs });
    for (let i = 0; i < 5; i++) {
      const body = uniqueEvent();
      expect(await post(a.webhookUrl, body, chatgptHeaders(body, TEST_SECRET))).toBe(200);
    }
    // With an interval, the first request reads Redis and the next four are counted in the
    // instance (their sync is 5 s away); with 0, each request is counted in Redis.
    const client = createClient({ url: LOCAL_REDIS_URL });
    await client.connect();
    try {
      const keys = await client.keys(`${prefix}rl:requests:*`);
      expect(keys).toHaveLength(1);
      expect(await client.get(keys[0]!)).toBe(shared);
    } finally {
      client.destroy();
    }
  });

  it("with Redis killed mid-batch answers only 2xx or 503; after restart the senders' retries complete the batch once", async () => {
    const redis = redisServer(await freePort(), mkdtempSync(join(dir, "aof-")));
    await redis.start();
    const { a, b, log } = await startPair(redis.url);
    const statuses = new Map<number, number>();
    const count = (status: number): number => statuses.get(status) ?? 0;
    const events = Array.from({ length: 60 }, () => uniqueEvent());
    const waiters: Array<() => void> = [];
    /** Resolves once `check` holds; re-checked after every answer a sender gets. */
    const when = (check: () => boolean): Promise<void> =>
      new Promise((resolve) => {
        const test = (): void => (check() ? resolve() : void waiters.push(test));
        test();
      });
    const answered = (status: number): void => {
      statuses.set(status, count(status) + 1);
      for (const waiter of waiters.splice(0)) waiter();
    };

    // A sender posts each delivery to both instances and retries any non-2xx until 2xx, backing
    // off 20 ms between attempts as senders do, within a deadline rather than a number of tries.
    const deliver = async (body: Buffer, url: string): Promise<boolean> => {
      const headers = chatgptHeaders(body, TEST_SECRET);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const status = await post(url, body, headers);
        answered(status);
        if (status === 200) return true;
        expect([409, 503]).toContain(status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    };
    const deliverToBoth = async (body: Buffer): Promise<boolean> => {
      const [toA, toB] = await Promise.all([deliver(body, a.webhookUrl), deliver(body, b.webhookUrl)]);
      return toA && toB;
    };

    // The first half goes out at once; Redis dies once ten of its deliveries were answered 200,
    // while the rest are in flight. The second half is sent into the outage, so it is surely seen,
    // and Redis comes back once the senders have been answered 503 twenty times.
    const firstHalf = events.slice(0, 30).map(deliverToBoth);
    await when(() => count(200) >= 10);
    await redis.kill();
    const secondHalf = events.slice(30).map(deliverToBoth);
    const notReady = await eventually(async () => (await fetch(`${a.url}/readyz`)).status === 503, 10_000);
    await when(() => count(503) >= 20);
    await redis.start();

    const results = await Promise.all([...firstHalf, ...secondHalf]);
    expect(results.every(Boolean)).toBe(true);
    expect(notReady).toBe(true); // the outage was reported
    const recovered = await eventually(async () => (await fetch(`${b.url}/readyz`)).status === 200, 10_000);
    expect(recovered).toBe(true); // and recovered without a restart
    const counts = handledCounts(log);
    for (const body of events) expect(counts.get((JSON.parse(body.toString()) as { id: string }).id)).toBe(1);
  });
});
