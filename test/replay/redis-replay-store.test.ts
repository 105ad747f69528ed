// The Redis replay store on the machine's Redis: the shared contract, real lease expiry, owner checks, two instances racing.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createRedisConnection, redactRedisUrl, type RedisConnection } from "../../src/redis/redis-connection.js";
import { createRedisReplayStore, type RedisReplayStore } from "../../src/replay/redis-replay-store.js";
import type { ReplayStore } from "../../src/replay/replay-store.js";
import { replayStoreContract } from "../contract/replay-store-contract.js";
import { LOCAL_REDIS_URL, deleteKeys, eventually } from "./redis-test-support.js";

const PREFIX = `cwr-test:${randomUUID()}:`;
const LEASE_MS = 30_000;
const TTL_MS = 600_000;

afterAll(async () => {
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

replayStoreContract("redis", async () => {
  const store = createRedisReplayStore({ url: LOCAL_REDIS_URL, keyPrefix: PREFIX });
  await store.connection.waitUntilReady(10_000);
  return { store };
});

describe("redis replay store", () => {
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(closable: T): T => {
    open.push(closable);
    return closable;
  };
  async function newStore(): Promise<RedisReplayStore> {
    const store = track(createRedisReplayStore({ url: LOCAL_REDIS_URL, keyPrefix: PREFIX }));
    expect(await store.connection.waitUntilReady(10_000)).toBe(true);
    return store;
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((closable) => closable.close()));
  });

  async function owner(store: ReplayStore, key: string, leaseMs = LEASE_MS): Promise<string> {
    const result = await store.claim(key, leaseMs);
    if (result.status !== "claimed") throw new Error(`expected a claim, got ${result.status}`);
    return result.owner;
  }

  /** Shortens the remaining life of `key` as an operator would: an admin PEXPIRE, no short lease to race. */
  async function expireSoon(key: string, ms: number): Promise<void> {
    const admin = track(createRedisConnection({ url: LOCAL_REDIS_URL }));
    expect(await admin.waitUntilReady(10_000)).toBe(true);
    expect(await admin.client.pExpire(`${PREFIX}${key}`, ms)).toBe(1);
  }

  it("frees a claim when Redis expires its lease, and the old owner can no longer act", async () => {
    const store = await newStore();
    const key = randomUUID();
    const first = await owner(store, key);
    expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
    await expireSoon(key, 1);
    let next: string | undefined;
    const freed = await eventually(async () => {
      const result = await store.claim(key, LEASE_MS);
      if (result.status === "claimed") next = result.owner;
      return next !== undefined;
    }, 10_000);
    expect(freed).toBe(true);
    expect(await store.complete(key, first, TTL_MS)).toBe(false);
    expect(await store.extend(key, first, LEASE_MS)).toBe(false);
    expect(await store.release(key, first)).toBe(false);
    expect(await store.complete(key, next ?? "", TTL_MS)).toBe(true);
  });

  it("lets extend give a claim about to lapse its whole new lease", async () => {
    const store = await newStore();
    const connection = track(createRedisConnection({ url: LOCAL_REDIS_URL }));
    expect(await connection.waitUntilReady(10_000)).toBe(true);
    const key = randomUUID();
    const claimed = await owner(store, key);
    await expireSoon(key, 60_000);
    expect(await connection.client.pTTL(`${PREFIX}${key}`)).toBeLessThanOrEqual(60_000);
    expect(await store.extend(key, claimed, 10 * 60_000)).toBe(true);
    // Redis now holds the claim for the new lease, far past where it was about to end.
    expect(await connection.client.pTTL(`${PREFIX}${key}`)).toBeGreaterThan(5 * 60_000);
    expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
  });

  it("refuses a wrong owner, and the done marker or an empty string as an owner", async () => {
    const store = await newStore();
    const key = randomUUID();
    const claimed = await owner(store, key);
    for (const wrong of [randomUUID(), "done", ""]) {
      expect(await store.extend(key, wrong, LEASE_MS)).toBe(false);
      expect(await store.complete(key, wrong, TTL_MS)).toBe(false);
      expect(await store.release(key, wrong)).toBe(false);
    }
    expect(await store.complete(key, claimed, TTL_MS)).toBe(true);
    expect(await store.release(key, "done")).toBe(false);
    expect(await store.complete(key, "done", TTL_MS)).toBe(false);
    expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
  });

  it("lets exactly one of two instances (two clients) win each key they race for", async () => {
    const a = await newStore();
    const b = await newStore();
    const keys = Array.from({ length: 50 }, () => randomUUID());
    const results = await Promise.all(keys.flatMap((key) => [a.claim(key, LEASE_MS), b.claim(key, LEASE_MS)]));
    for (let i = 0; i < keys.length; i++) {
      const statuses = [results[2 * i]?.status, results[2 * i + 1]?.status].sort();
      expect(statuses).toEqual(["claimed", "in_progress"]);
    }
  });

  it("shares a connection with another user and leaves it open on close", async () => {
    const connection: RedisConnection = track(createRedisConnection({ url: LOCAL_REDIS_URL }));
    expect(await connection.waitUntilReady(10_000)).toBe(true);
    const store = createRedisReplayStore({ connection, keyPrefix: PREFIX });
    const key = randomUUID();
    await owner(store, key);
    expect(await connection.client.sendCommand(["EXISTS", `${PREFIX}${key}`])).toBe(1);
    await store.close();
    expect(await connection.client.sendCommand(["PING"])).toBe("PONG");
  });

  it("writes only under its prefix, as the owner token or the done marker", async () => {
    const connection = track(createRedisConnection({ url: LOCAL_REDIS_URL }));
    await connection.waitUntilReady(10_000);
    const store = createRedisReplayStore({ connection, keyPrefix: PREFIX });
    const key = randomUUID();
    const claimed = await owner(store, key);
    expect(await connection.client.get(`${PREFIX}${key}`)).toBe(claimed);
    expect(await store.complete(key, claimed, TTL_MS)).toBe(true);
    expect(await connection.client.get(`${PREFIX}${key}`)).toBe("done");
    expect(await connection.client.pTTL(`${PREFIX}${key}`)).toBeGreaterThan(TTL_MS - 5_000);
  });

  it("never shows the password of a Redis URL", () => {
    expect(redactRedisUrl("redis://user:s3cret@redis.internal:6380/2")).toBe("redis://user:***@redis.internal:6380/2");
    expect(redactRedisUrl("redis://:s3cret@localhost")).not.toContain("s3cret");
    expect(redactRedisUrl("not a url")).not.toContain("not a url");
  });
});
