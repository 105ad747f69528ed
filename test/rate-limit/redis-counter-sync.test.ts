// The Redis counter with a sync interval, on the machine's Redis: clients far below their limits
// are counted in this instance and added to Redis in one step; near a limit every request reads
// the shared count. Time is a fake clock; only the flush timer test waits for a real interval.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isThenable } from "../../src/maybe-promise.js";
import type { ClientStanding, CountedLimits, RateLimitCounter } from "../../src/rate-limit/rate-limit-counter.js";
import { redisCounter } from "../../src/rate-limit/redis-counter.js";
import { createRedisConnection } from "../../src/redis/redis-connection.js";
import { rateLimitCounterContract } from "../contract/rate-limit-counter-contract.js";
import { fakeClock } from "../support/fake-clock.js";
import { LOCAL_REDIS_URL, deleteKeys, eventually } from "../replay/redis-test-support.js";

const PREFIX = `cwr-test:${randomUUID()}:rl-sync:`;
const connection = createRedisConnection({ url: LOCAL_REDIS_URL });
/** Its flush timer (half of it) fires long after any test here: only `flush()` and the fake clock move counts. */
const SYNC_MS = 30_000;
const LIMITS: CountedLimits = { requests: true, failures: true, windowMs: 60_000, requestsPerWindow: 20, failuresPerWindow: 10 };

beforeAll(async () => {
  expect(await connection.waitUntilReady(10_000)).toBe(true);
});

afterAll(async () => {
  await connection.close();
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

// The contract holds for one instance counting locally: its own counts are exact.
rateLimitCounterContract("redis, counting locally between syncs", () => {
  const factory = redisCounter(connection, PREFIX, { syncMs: SYNC_MS });
  return (limits, onError) => factory({ ...limits, requestsPerWindow: 1_000, failuresPerWindow: 1_000 }, onError);
});

const sharedRequests = async (key: string): Promise<string | null> => connection.client.get(`${PREFIX}requests:${key}`);

/** Errors the counters reported in the current test: none expected. */
let errors: unknown[] = [];
afterEach(() => {
  expect(errors).toEqual([]);
  errors = [];
});

/** One instance's counter, the way the receiver makes it; `local` says whether the count stayed in the instance. */
function instance(clock = fakeClock(), syncMs = SYNC_MS) {
  const counter: RateLimitCounter = redisCounter(connection, PREFIX, { clock, syncMs })(LIMITS, (error) => errors.push(error));
  return {
    clock,
    counter,
    async count(key: string): Promise<{ standing: ClientStanding; local: boolean }> {
      const answer = counter.countRequest(key);
      return { standing: await answer, local: !isThenable(answer) };
    },
  };
}

describe("redis counter with a sync interval", () => {
  it("counts a client below half its limits in the instance, then adds the counts to Redis in one step", async () => {
    const a = instance();
    const key = `below-${randomUUID()}`;
    const first = await a.count(key);
    expect(first).toMatchObject({ local: false, standing: { requests: { hits: 1 }, failures: { hits: 0 } } });
    const next = [];
    for (let i = 0; i < 8; i++) next.push(await a.count(key));
    expect(next.map((n) => n.local)).toEqual(Array(8).fill(true));
    expect(next.map((n) => n.standing.requests?.hits)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(next[0]?.standing.requests?.resetAt).toBe(first.standing.requests?.resetAt);
    expect(await sharedRequests(key)).toBe("1");
    await a.counter.flush?.();
    expect(await sharedRequests(key)).toBe("9");
    a.counter.close();
  });

  it("counts what a sync is carrying until Redis answers, never reading a count twice or losing one", async () => {
    const a = instance();
    const key = `in-flight-${randomUUID()}`;
    for (let i = 0; i < 4; i++) await a.count(key);
    const flushing = a.counter.flush?.();
    // The three local counts are on their way to Redis: the instance still counts them.
    expect(await a.count(key)).toMatchObject({ local: true, standing: { requests: { hits: 5 } } });
    await flushing;
    expect(await sharedRequests(key)).toBe("4");
    expect(await a.count(key)).toMatchObject({ local: true, standing: { requests: { hits: 6 } } });
    await a.counter.flush?.();
    expect(await sharedRequests(key)).toBe("6");
    a.counter.close();
  });

  it("reads Redis on every request past half a limit, so the limit itself is decided on the shared count", async () => {
    const [a, b] = [instance(), instance()];
    const key = `near-${randomUUID()}`;
    for (let i = 0; i < 9; i++) await a.count(key);
    await a.counter.flush?.();
    // b has no counts of its own yet: it reads Redis and sees a's nine.
    expect(await b.count(key)).toMatchObject({ local: false, standing: { requests: { hits: 10 } } });
    // a's view is a sync old: its tenth is still below half (10 of 20) and stays local, one behind Redis.
    expect(await a.count(key)).toMatchObject({ local: true, standing: { requests: { hits: 10 } } });
    // The next would pass half: a sends its pending count with this one and reads the shared total.
    expect(await a.count(key)).toMatchObject({ local: false, standing: { requests: { hits: 12 } } });
    const alternating = [];
    for (let i = 0; i < 4; i++) alternating.push(await (i % 2 === 0 ? b : a).count(key));
    expect(alternating.map((n) => n.local)).toEqual([false, false, false, false]);
    expect(alternating.map((n) => n.standing.requests?.hits)).toEqual([13, 14, 15, 16]);
    expect(await sharedRequests(key)).toBe("16");
    a.counter.close();
    b.counter.close();
  });

  it("sees its own failures at once, and another instance's after the interval", async () => {
    const [a, b] = [instance(), instance()];
    const key = `failures-${randomUUID()}`;
    await a.count(key);
    await a.counter.countFailure(key);
    expect(await a.count(key)).toMatchObject({ local: true, standing: { failures: { hits: 1 } } });
    for (let i = 0; i < 4; i++) await b.counter.countFailure(key);
    // Within the interval a still counts locally on the failures it knows of...
    expect(await a.count(key)).toMatchObject({ local: true, standing: { failures: { hits: 1 } } });
    // ...after it, a reads Redis: five failures, half the failure limit, so no more local counting.
    a.clock.advance(SYNC_MS);
    expect(await a.count(key)).toMatchObject({ local: false, standing: { requests: { hits: 4 }, failures: { hits: 5 } } });
    expect(await a.count(key)).toMatchObject({ local: false, standing: { requests: { hits: 5 }, failures: { hits: 5 } } });
    a.counter.close();
    b.counter.close();
  });

  it("adds the local counts to Redis by itself within the interval", async () => {
    const a = instance(fakeClock(Date.now()), 50);
    const key = `timer-${randomUUID()}`;
    await a.count(key);
    for (let i = 0; i < 5; i++) expect((await a.count(key)).local).toBe(true);
    expect(await eventually(async () => (await sharedRequests(key)) === "6", 5_000)).toBe(true);
    a.counter.close();
  });

  it("after close, sends its last local counts and counts every later request in Redis", async () => {
    const a = instance();
    const key = `close-${randomUUID()}`;
    await a.count(key);
    for (let i = 0; i < 3; i++) expect((await a.count(key)).local).toBe(true);
    a.counter.close();
    expect(await eventually(async () => (await sharedRequests(key)) === "4", 5_000)).toBe(true);
    expect(await a.count(key)).toMatchObject({ local: false, standing: { requests: { hits: 5 } } });
    expect(await sharedRequests(key)).toBe("5");
  });

  it("with an interval of 0 counts every request in Redis", async () => {
    const a = instance(fakeClock(), 0);
    const key = `sync-${randomUUID()}`;
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await a.count(key));
    expect(counts.map((n) => n.local)).toEqual([false, false, false]);
    expect(await sharedRequests(key)).toBe("3");
    a.counter.close();
  });
});
