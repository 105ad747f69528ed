// The Redis counter on the machine's Redis: the shared contract, windows that expire, and an outage read as "not counted".
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCounter } from "../../src/rate-limit/redis-counter.js";
import { createRedisConnection } from "../../src/replay/redis-connection.js";
import { rateLimitCounterContract } from "../contract/rate-limit-counter-contract.js";
import { LOCAL_REDIS_URL, deleteKeys, eventually } from "../replay/redis-test-support.js";

const PREFIX = `cwr-test:${randomUUID()}:rl:`;
const connection = createRedisConnection({ url: LOCAL_REDIS_URL });

beforeAll(async () => {
  expect(await connection.waitUntilReady(2_000)).toBe(true);
});

afterAll(async () => {
  await connection.close();
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

rateLimitCounterContract("redis", () => redisCounter(connection, PREFIX));

describe("redis counter", () => {
  it("starts a new window when the old one ends", async () => {
    const counter = redisCounter(connection, PREFIX)({ requests: true, failures: true, windowMs: 50 }, () => undefined);
    const key = `window-${randomUUID()}`;
    await counter.countRequest(key);
    await counter.countFailure(key);
    expect(await counter.countRequest(key)).toMatchObject({ requests: { hits: 2 }, failures: { hits: 1 } });
    // Redis expires the keys itself (no clock to fake): poll until a request opens a new window.
    let standing = await counter.countRequest(key);
    const renewed = await eventually(async () => {
      standing = await counter.countRequest(key);
      return standing.requests?.hits === 1;
    }, 5_000);
    expect(renewed).toBe(true);
    expect(standing.failures?.hits).toBe(0);
  });

  it("reads an unreachable Redis as not counted, within the command bound, and reports it", async () => {
    const down = createRedisConnection({ url: "redis://127.0.0.1:1", connectTimeoutMs: 200 });
    const errors: unknown[] = [];
    const counter = redisCounter(down, PREFIX)({ requests: true, failures: true, windowMs: 60_000 }, (error) => errors.push(error));
    await expect(counter.countRequest("client")).resolves.toEqual({ requests: undefined, failures: undefined });
    await expect(counter.countFailure("client")).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: "redis_offline" });
    await down.close();
  });
});
