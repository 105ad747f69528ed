// The Redis store when Redis dies, returns or stalls: fails fast and closed, recovers by itself, gives back lost claims.
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisErrorCode } from "../../src/redis/redis-command.js";
import { createRedisReplayStore, type RedisReplayStore } from "../../src/replay/redis-replay-store.js";
import { eventually, freePort, killAll, redisServer, type RedisServerProcess } from "./redis-test-support.js";

const COMMAND_TIMEOUT_MS = 100;
const LEASE_MS = 30_000;
/**
 * How much later than its bound a failing call may answer on a loaded machine. "Fails fast" is
 * the behaviour, so it has an upper bound, but a generous one (1 s): it tells a bounded failure
 * from one that waited for Redis (the stall below lasts {@link STALL_MS}).
 */
const SLACK_MS = 1_000;
/** How long the stalled Redis stays paused: longer than any bound asserted while it is. */
const STALL_MS = COMMAND_TIMEOUT_MS + SLACK_MS + 1_000;
/** Deadline for recoveries that happen by themselves (reconnects, the pause ending). */
const RECOVERY_DEADLINE_MS = 10_000;

describe("redis replay store faults", () => {
  let server: RedisServerProcess;
  let store: RedisReplayStore;

  beforeAll(async () => {
    server = redisServer(await freePort());
    await server.start();
    store = createRedisReplayStore({
      url: server.url,
      keyPrefix: "faults:",
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      maxReconnectDelayMs: 200,
    });
    expect(await store.connection.waitUntilReady(10_000)).toBe(true);
  });

  afterAll(async () => {
    killAll();
    await store?.close();
  });

  async function timed<T>(operation: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
    const start = performance.now();
    try {
      await operation();
      return { error: undefined, ms: performance.now() - start };
    } catch (error) {
      return { error, ms: performance.now() - start };
    }
  }

  it("fails fast while Redis is down, then recovers by itself when it returns", async () => {
    expect(await store.claim(randomUUID(), LEASE_MS)).toEqual(expect.objectContaining({ status: "claimed" }));

    await server.kill();
    const during = await timed(() => store.claim(randomUUID(), LEASE_MS));
    expect(during.error).toMatchObject({ code: expect.stringMatching(/^redis_/) as unknown });
    expect(during.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    expect(await store.readiness()).toEqual(expect.objectContaining({ ready: false }));
    // Offline now, not merely slow: once the client has noticed the closed socket it sends nothing
    // and fails at once (a timeout would carry redis_timeout instead).
    const noticed = await eventually(() => Promise.resolve(!store.connection.client.isReady), RECOVERY_DEADLINE_MS);
    expect(noticed).toBe(true);
    const offline = await timed(() => store.claim(randomUUID(), LEASE_MS));
    expect(offline.error).toMatchObject({ code: RedisErrorCode.OFFLINE });
    expect(offline.ms).toBeLessThan(SLACK_MS);

    await server.start();
    const recovered = await eventually(async () => (await store.readiness()).ready, RECOVERY_DEADLINE_MS);
    expect(recovered).toBe(true);
    const key = randomUUID();
    expect(await store.claim(key, LEASE_MS)).toEqual(expect.objectContaining({ status: "claimed" }));
    expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
  });

  it("times out on a stalled Redis, then releases the claims it may have made once Redis answers", async () => {
    const admin = createClient({ url: server.url });
    await admin.connect();
    try {
      // Three claims at once: every one times out, and every one is given back.
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      await admin.sendCommand(["CLIENT", "PAUSE", String(STALL_MS), "ALL"]);
      const stalled = await Promise.all(keys.map((key) => timed(() => store.claim(key, LEASE_MS))));
      for (const { error, ms } of stalled) {
        expect(error).toMatchObject({ code: RedisErrorCode.TIMEOUT });
        // Not before its bound (timers never fire early; 5 ms for clock granularity), and well
        // before the pause ends: the bound, not Redis, ended the call.
        expect(ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 5);
        expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
      }
      expect(await store.readiness()).toEqual(expect.objectContaining({ ready: false }));

      // Once the pause ends Redis applies the late claims; the store gives each back, owner-checked.
      const claimedAgain = new Set<string>();
      const allClaimedAgain = await eventually(async () => {
        for (const key of keys) {
          if (claimedAgain.has(key)) continue;
          try {
            if ((await store.claim(key, LEASE_MS)).status === "claimed") claimedAgain.add(key);
          } catch {
            // still paused
          }
        }
        return claimedAgain.size === keys.length;
      }, STALL_MS + RECOVERY_DEADLINE_MS);
      expect(allClaimedAgain).toBe(true);
      for (const key of keys) expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
    } finally {
      admin.destroy();
    }
  });

  it("recovers after a restart that lost the loaded scripts (EVALSHA falls back to EVAL)", async () => {
    const admin = createClient({ url: server.url });
    await admin.connect();
    try {
      await admin.sendCommand(["SCRIPT", "FLUSH"]);
      const key = randomUUID();
      const result = await store.claim(key, LEASE_MS);
      if (result.status !== "claimed") throw new Error(`expected a claim, got ${result.status}`);
      await admin.sendCommand(["SCRIPT", "FLUSH"]);
      expect(await store.complete(key, result.owner, 60_000)).toBe(true);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    } finally {
      admin.destroy();
    }
  });
});
