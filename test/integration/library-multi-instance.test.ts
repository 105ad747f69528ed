// The public API is enough to run several instances: two receivers on node:http share one Redis (replay store and limits).
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createNodeMiddleware,
  createRedisConnection,
  createRedisReplayStore,
  createWebhookReceiver,
  redisCounter,
  type RedisConnection,
  type WebhookReceiver,
} from "../../src/index.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { LOCAL_REDIS_URL, deleteKeys } from "../replay/redis-test-support.js";

const SECRET = "library-multi-instance-secret-0123";
const PREFIX = `cwr-test:${randomUUID()}:`;
const instances: Array<{ connection: RedisConnection; receiver: WebhookReceiver; server: Server; url: string }> = [];
let runs = 0;

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const connection = createRedisConnection({ url: LOCAL_REDIS_URL });
    expect(await connection.waitUntilReady(5_000)).toBe(true);
    const receiver = createWebhookReceiver({
      secret: SECRET,
      replayStore: createRedisReplayStore({ connection, keyPrefix: `${PREFIX}replay:` }),
      rateLimitCounter: redisCounter(connection, `${PREFIX}rl:`),
      rateLimitPerMinute: 100_000,
    });
    receiver.on("*", async () => {
      runs++;
      await new Promise((resolve) => setImmediate(resolve));
    });
    const server = createServer(createNodeMiddleware(receiver, { path: "/hook" }));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    instances.push({ connection, receiver, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
  }
});
afterAll(async () => {
  for (const { server, receiver, connection } of instances) {
    server.closeAllConnections();
    server.close();
    await receiver.close();
    await connection.close();
  }
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

describe("two library instances on one Redis", () => {
  it("handle an event delivered to both, 25 times each at once, exactly once", async () => {
    const body = uniqueEvent();
    const headers = { "content-type": "application/json", ...chatgptHeaders(body, SECRET) };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fetch(instances[i % 2]!.url, { method: "POST", body, headers }).then((r) => r.status)),
    );
    expect(answers.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((status) => status === 200 || status === 409)).toBe(true);
    expect(runs).toBe(1);
    const again = await fetch(instances[1]!.url, { method: "POST", body, headers });
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    expect(runs).toBe(1);
  });

  it("answer 409, never a second run, while a 200's done mark has not reached Redis, then duplicate", async () => {
    // An instance whose done marks wait until released: the 200 does not wait for them.
    const connection = createRedisConnection({ url: LOCAL_REDIS_URL });
    expect(await connection.waitUntilReady(5_000)).toBe(true);
    const store = createRedisReplayStore({ connection, keyPrefix: `${PREFIX}replay:` });
    const held: Array<() => void> = [];
    const receiver = createWebhookReceiver({
      secret: SECRET,
      replayStore: { ...store, complete: (...args) => new Promise<boolean>((resolve) => held.push(() => resolve(store.complete(...args)))) },
      rateLimitPerMinute: 0,
      rateLimitFailuresPerMinute: 0,
    });
    let slowRuns = 0;
    receiver.on("*", () => void slowRuns++);
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, SECRET);
    expect(await receiver.receive({ headers, body })).toMatchObject({ status: 200, outcome: "processed" });
    expect(held).toHaveLength(1);
    const post = () => fetch(instances[1]!.url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
    const before = runs;
    expect((await post()).status).toBe(409);
    held.shift()?.();
    await receiver.close();
    expect(await (await post()).json()).toMatchObject({ status: "duplicate" });
    expect(runs).toBe(before);
    expect(slowRuns).toBe(1);
    await connection.close();
  });

  it("answer duplicate to an event re-sent the moment its 200 arrives, at the same instance and at the other", async () => {
    // The done mark is queued on the connection before the 200 but its reply is not awaited:
    // Redis runs one connection's commands in order, and the mark is written long before
    // another instance's claim arrives.
    const before = runs;
    for (let i = 0; i < 20; i++) {
      const body = uniqueEvent();
      const headers = { "content-type": "application/json", ...chatgptHeaders(body, SECRET) };
      const post = (at: number) => fetch(instances[at]!.url, { method: "POST", body, headers }).then(async (r) => ({ status: r.status, body: (await r.json()) }));
      expect(await post(0)).toMatchObject({ status: 200, body: { status: "processed" } });
      expect(await post(0)).toMatchObject({ status: 200, body: { status: "duplicate" } });
      expect(await post(1)).toMatchObject({ status: 200, body: { status: "duplicate" } });
    }
    expect(runs - before).toBe(20);
  });
});
