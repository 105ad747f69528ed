// The Redis counter on the machine's Redis: the shared contract, windows that expire, and an outage read as "not counted".
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCounter } from "../../src/rate-limit/redis-counter.js";
import { createRedisConnection } from "../../src/redis/redis-connection.js";
import { rateLimitCounterContract } from "../contract/rate-limit-counter-contract.js";
import { LOCAL_REDIS_URL, deleteKeys, eventually } from "../replay/redis-test-support.js";

const PREFIX = `cwr-test:${randomUUID()}:rl:`;
const connection = createRedisConnection({ url: LOCAL_REDIS_URL });

beforeAll(async () => {
  expect(await connection.waitUntilReady(10_000)).toBe(true);
});

afterAll(async () => {
  await connection.close();
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

rateLimitCounterContract("redis", () => redisCounter(connection, PREFIX));

describe("redis counter", () => {
  it("starts a new window when the old one ends", async () => {
    const counter = redisCounter(connection, PREFIX)({ requests: true, failures: true, windowMs: 60_000 }, () => undefined);
    const key = `window-${randomUUID()}`;
    await counter.countRequest(key);
    await counter.countFailure(key);
    expect(await counter.countRequest(key)).toMatchObject({ requests: { hits: 2 }, failures: { hits: 1 } });
    // End the window early as Redis would at its end: shorten both keys' lives (no clock to fake,
    // and no short window that a slow machine could outlive between the three commands above).
    // Failures first, so it is gone no later than the requests key whose renewal we wait for.
    for (const kind of ["failures", "requests"]) expect(await connection.client.pExpire(`${PREFIX}${kind}:${key}`, 1)).toBe(1);
    let standing = await counter.countRequest(key);
    const renewed = await eventually(async () => {
      if (standing.requests?.hits === 1) return true;
      standing = await counter.countRequest(key);
      return standing.requests?.hits === 1;
    }, 10_000);
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

  it("gives a failure count without an expiry one, so no client is refused for good", async () => {
    const errors: unknown[] = [];
    const counter = redisCounter(connection, PREFIX)({ requests: true, failures: true, windowMs: 60_000 }, (error) => errors.push(error));
    const key = `no-ttl-${randomUUID()}`;
    await connection.client.sendCommand(["SET", `${PREFIX}failures:${key}`, "40"]);
    const standing = await counter.countRequest(key);
    expect(standing.failures?.hits).toBe(40);
    expect(standing.failures?.resetAt).toBeGreaterThan(Date.now());
    const ttl = await connection.client.sendCommand<number>(["PTTL", `${PREFIX}failures:${key}`]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(errors).toEqual([]);
  });

  it("replaces keys under its prefix that are not counters instead of failing every request", async () => {
    const errors: unknown[] = [];
    const counter = redisCounter(connection, PREFIX)({ requests: true, failures: true, windowMs: 60_000 }, (error) => errors.push(error));
    const key = `corrupt-${randomUUID()}`;
    await connection.client.sendCommand(["SET", `${PREFIX}requests:${key}`, "not a number"]);
    await connection.client.sendCommand(["RPUSH", `${PREFIX}failures:${key}`, "x"]);
    expect(await counter.countRequest(key)).toMatchObject({ requests: { hits: 1 }, failures: { hits: 0 } });
    await counter.countFailure(key);
    expect((await counter.countRequest(key)).failures?.hits).toBe(1);
    await connection.client.sendCommand(["SET", `${PREFIX}failures:${key}`, "garbage"]);
    await counter.countFailure(key);
    expect(await counter.countRequest(key)).toMatchObject({ requests: { hits: 3 }, failures: { hits: 1 } });
    expect(errors).toEqual([]);
  });
});
