// Graceful shutdown with a delivery in flight: no new connections, the in-flight one finishes with 200; stores and the Redis connection closed.
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, freePort, killAll, redisServer } from "../replay/redis-test-support.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { createMemoryReplayStore } from "../../src/replay/memory-replay-store.js";
import type { ReplayStore } from "../../src/replay/replay-store.js";
import { startTestService, TEST_SECRET } from "../support/service.js";

const HANDLER_TIMEOUT_MS = 1_000;
/** README: the drain is bounded by the handler timeout plus 5 s. */
const DRAIN_LIMIT_MS = HANDLER_TIMEOUT_MS + 5_000;

afterAll(() => killAll());

describe("graceful shutdown", () => {
  it("stops accepting, lets the in-flight delivery finish, then resolves", async () => {
    // What the shutdown saw when it resolved, and in what order things ended.
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const service = await startTestService({}, {
      register: (receiver) =>
        receiver.on("*", async () => {
          started();
          await gate;
          order.push("handler finished");
        }),
    });
    const body = uniqueEvent();
    const inFlight = service.post(body, chatgptHeaders(body, TEST_SECRET));
    await handlerStarted;
    expect(service.receiver.inFlight()).toBe(1);

    const stopping = service.shutdown().then(() => {
      order.push(`stopped with ${service.receiver.inFlight()} in flight`);
    });
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow(); // no new connections
    expect(order).toEqual([]); // still draining: the handler has not been let go

    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed" });
    await stopping;
    expect(order).toEqual(["handler finished", "stopped with 0 in flight"]);
  });

  it("gives up on a handler that never finishes at the handler timeout plus 5 s, then closes the stores", { timeout: DRAIN_LIMIT_MS + 20_000 }, async () => {
    const inner = createMemoryReplayStore();
    let storeClosed = 0;
    const replayStore: ReplayStore = {
      ...inner,
      close: async () => {
        storeClosed++;
        await inner.close();
      },
    };
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const service = await startTestService({ HANDLER_TIMEOUT_MS: String(HANDLER_TIMEOUT_MS) }, {
      replayStore,
      register: (receiver) =>
        receiver.on("*", () => {
          started();
          return new Promise<void>(() => undefined); // never settles, ignores its signal
        }),
    });
    const body = uniqueEvent();
    const answer = service.post(body, chatgptHeaders(body, TEST_SECRET));
    await handlerStarted;

    const began = performance.now();
    await service.shutdown();
    const ms = performance.now() - began;
    // The bound is the behaviour: not before it (timers never fire early), and with slack after.
    expect(ms).toBeGreaterThanOrEqual(DRAIN_LIMIT_MS - 50);
    expect(ms).toBeLessThan(DRAIN_LIMIT_MS + 5_000);
    const response = await answer;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "handler_timeout" });
    expect(service.receiver.inFlight()).toBe(1); // it never settled: shutdown stopped waiting
    expect(service.logs.some((line) => line.in_flight === 1 && line.level === 40)).toBe(true); // warned
    expect(storeClosed).toBe(1);
  });

  it("closes the shared Redis connection: the Redis server sees no client of the service afterwards", { timeout: 60_000 }, async () => {
    // A private redis-server, so every client it lists is either ours (the counting one) or the service's.
    const redis = redisServer(await freePort());
    await redis.start();
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      const adminId = await admin.clientId();
      const serviceClients = async (): Promise<number> => {
        const list = await admin.sendCommand<string>(["CLIENT", "LIST"]);
        return list.split("\n").filter((line) => line.startsWith("id=") && !line.startsWith(`id=${adminId} `)).length;
      };
      expect(await serviceClients()).toBe(0);

      const service = await startTestService(
        { REPLAY_STORE: redis.url, REDIS_KEY_PREFIX: `cwr-shutdown:${randomUUID()}:` },
        { register: (receiver) => receiver.on("*", () => undefined) },
      );
      const body = uniqueEvent();
      const answer = await service.post(body, chatgptHeaders(body, TEST_SECRET));
      expect(await answer.json()).toMatchObject({ status: "processed" }); // claimed and marked done through Redis
      expect(await serviceClients()).toBeGreaterThanOrEqual(1);

      await service.shutdown();
      // The server drops a client once it reads the socket's close: wait for that, with a deadline.
      expect(await eventually(async () => (await serviceClients()) === 0, 10_000)).toBe(true);
    } finally {
      admin.destroy();
      await redis.kill();
    }
  });
});
