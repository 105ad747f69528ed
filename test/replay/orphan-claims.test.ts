// The orphan-claim tracker and the command bound, without Redis: when lost claims are given back, and when they are dropped.
import { describe, expect, it } from "vitest";
import { createOrphanClaims } from "../../src/replay/orphan-claims.js";
import { RedisErrorCode, withTimeout } from "../../src/redis/redis-command.js";

describe("orphan claims", () => {
  it("releases an orphan as soon as its late command settles", async () => {
    const released: string[] = [];
    const orphans = createOrphanClaims({ release: (key, owner) => Promise.resolve(released.push(`${key}/${owner}`)) });
    let answer: (value: unknown) => void = () => undefined;
    orphans.add("k", "o1", 30_000, new Promise((resolve) => (answer = resolve)));
    expect(orphans.size).toBe(1);
    answer(null);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(released).toEqual(["k/o1"]);
    expect(orphans.size).toBe(0);
  });

  it("keeps orphans Redis did not answer for, and releases them on a later flush", async () => {
    let up = false;
    const released: string[] = [];
    const orphans = createOrphanClaims({
      release: (key) => (up ? Promise.resolve(released.push(key)) : Promise.reject(new Error("offline"))),
    });
    orphans.add("a", "o1", 30_000, Promise.reject(new Error("socket closed")));
    orphans.add("b", "o2", 30_000, new Promise(() => undefined));
    await orphans.flush();
    expect(orphans.size).toBe(2);
    up = true;
    await orphans.flush();
    expect(released).toEqual(["a", "b"]);
    expect(orphans.size).toBe(0);
  });

  it("drops orphans whose lease has ended (Redis freed them) and the oldest beyond maxEntries", async () => {
    let now = 0;
    const released: string[] = [];
    const orphans = createOrphanClaims({ release: (key) => Promise.resolve(released.push(key)), maxEntries: 2, now: () => now });
    const never = new Promise(() => undefined);
    orphans.add("short", "o1", 100, never);
    orphans.add("long", "o2", 30_000, never);
    orphans.add("newest", "o3", 30_000, never);
    expect(orphans.size).toBe(2);
    now = 1_000;
    await orphans.flush();
    expect(released).toEqual(["long", "newest"]);
  });
});

describe("withTimeout", () => {
  it("rejects with redis_timeout when the answer is late, and passes a timely one through", async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, "GET")).rejects.toMatchObject({ code: RedisErrorCode.TIMEOUT });
    await expect(withTimeout(Promise.resolve("ok"), 10, "GET")).resolves.toBe("ok");
  });

  it("codes a failure of the command itself, keeping the Redis message callers match", async () => {
    const noScript = new Error("NOSCRIPT No matching script. Please use EVAL.");
    await expect(withTimeout(Promise.reject(noScript), 100, "EVALSHA")).rejects.toMatchObject({
      code: RedisErrorCode.FAILED,
      message: noScript.message,
      cause: noScript,
    });
  });
});
