// The ReplayStore contract (docs/ARCHITECTURE.md, "Replay stores") as a reusable suite: any store, sync or async.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ClaimResult, ReplayStore } from "../../src/replay/replay-store.js";

/** A store under test, with a way to move its time forward when the store allows one. */
export interface ReplayStoreFixture {
  readonly store: ReplayStore;
  /**
   * Moves the store's clock forward (and reads it). Without it the timed tests run on real time
   * with {@link REAL_TIME_SHORT_MS} leases and wait for them to end.
   */
  readonly clock?: { now(): number; advance(ms: number): void };
}

/**
 * The short lease or ttl of the timed tests on real time. Checks that it has not ended yet are
 * upper bounds (a few store calls must fit in it), so it is generous: 2 s.
 */
export const REAL_TIME_SHORT_MS = 2_000;

/**
 * Time as the timed tests see it: on a fake clock, jumps to just before or just after an expiry;
 * on real time, nothing to do before it, and waiting out the clock after it.
 */
interface ContractTime {
  /** The lease or ttl the test watches end. */
  readonly shortMs: number;
  /**
   * Runs `operation`, which sets an expiry of `ms` from now, and returns its value with `before()`
   * (stand just before that expiry) and `after()` (stand past it).
   */
  expiring<T>(ms: number, operation: () => Promise<T>): Promise<{ value: T; before(): void; after(): Promise<void> }>;
}

function fakeTime(clock: { now(): number; advance(ms: number): void }): ContractTime {
  const moveTo = (target: number): void => {
    if (target > clock.now()) clock.advance(target - clock.now());
  };
  return {
    shortMs: LEASE_MS,
    async expiring(ms, operation) {
      const start = clock.now();
      const value = await operation();
      return { value, before: () => moveTo(start + ms - 1_000), after: () => Promise.resolve(moveTo(start + ms + 1_000)) };
    },
  };
}

function realTime(): ContractTime {
  return {
    shortMs: REAL_TIME_SHORT_MS,
    async expiring(ms, operation) {
      const value = await operation();
      // The store set the expiry before it answered, so it has passed once `ms` (plus a
      // millisecond of clock granularity) have passed since the answer: a wait for the clock, not a guess.
      const end = performance.now() + ms + 5;
      return {
        value,
        before: () => undefined,
        after: async () => {
          while (performance.now() < end) await new Promise((resolve) => setTimeout(resolve, end - performance.now()));
        },
      };
    },
  };
}

const LEASE_MS = 30_000;
const anyString: unknown = expect.any(String);
const TTL_MS = 600_000;

/**
 * Defines a `describe` block checking `makeStore`'s stores against the replay store contract.
 * Every store answer is awaited, so synchronous and promise-returning stores both pass.
 */
export function replayStoreContract(name: string, makeStore: () => Promise<ReplayStoreFixture>): void {
  describe(`ReplayStore contract: ${name}`, () => {
    let open: ReplayStore[] = [];

    afterEach(async () => {
      const closing = open;
      open = [];
      await Promise.all(closing.map((store) => store.close()));
    });

    async function setup(): Promise<ReplayStoreFixture> {
      const fixture = await makeStore();
      open.push(fixture.store);
      return fixture;
    }

    /** A fresh key per test, so stores shared between tests (Redis) never collide. */
    const newKey = (): string => `contract:${randomUUID()}`;

    async function claimOwner(store: ReplayStore, key: string, leaseMs = LEASE_MS): Promise<string> {
      const result: ClaimResult = await store.claim(key, leaseMs);
      if (result.status !== "claimed") throw new Error(`expected a claim of ${key}, got ${result.status}`);
      expect(typeof result.owner).toBe("string");
      expect(result.owner.length).toBeGreaterThan(0);
      return result.owner;
    }

    /**
     * A test of leases and ttls: on the fixture's fake clock when it has one, else on real time.
     * These run concurrently (real-time ones mostly wait), each closing its own store.
     */
    function timed(title: string, test: (store: ReplayStore, time: ContractTime) => Promise<void>): void {
      it.concurrent(title, async ({ onTestFinished }) => {
        const { store, clock } = await makeStore();
        onTestFinished(() => store.close());
        await test(store, clock === undefined ? realTime() : fakeTime(clock));
      });
    }

    it("claims a new key, with an owner token", async () => {
      const { store } = await setup();
      expect(await store.claim(newKey(), LEASE_MS)).toEqual({ status: "claimed", owner: anyString });
    });

    it("answers in_progress to a second claim of a claimed key", async () => {
      const { store } = await setup();
      const key = newKey();
      await claimOwner(store, key);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
    });

    it("keeps keys independent", async () => {
      const { store } = await setup();
      const first = newKey();
      await claimOwner(store, first);
      await claimOwner(store, newKey());
      expect(await store.claim(first, LEASE_MS)).toEqual({ status: "in_progress" });
    });

    it("gives concurrent claims of distinct keys distinct owners", async () => {
      const { store } = await setup();
      const owners = await Promise.all([claimOwner(store, newKey()), claimOwner(store, newKey())]);
      expect(owners[0]).not.toBe(owners[1]);
    });

    it("lets exactly one of several concurrent claims of one key win", async () => {
      const { store } = await setup();
      const key = newKey();
      const results = await Promise.all(Array.from({ length: 5 }, () => Promise.resolve(store.claim(key, LEASE_MS))));
      expect(results.filter((result) => result.status === "claimed")).toHaveLength(1);
      expect(results.filter((result) => result.status === "in_progress")).toHaveLength(4);
    });

    it("answers duplicate once the owner completes", async () => {
      const { store } = await setup();
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.complete(key, owner, TTL_MS)).toBe(true);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    it("lets a key be claimed again once the owner releases it", async () => {
      const { store } = await setup();
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.release(key, owner)).toBe(true);
      const again = await claimOwner(store, key);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.complete(key, again, TTL_MS)).toBe(true);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    it("refuses complete by a wrong owner, with no effect", async () => {
      const { store } = await setup();
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.complete(key, `${owner}-not`, TTL_MS)).toBe(false);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.release(key, owner)).toBe(true);
      await claimOwner(store, key);
    });

    it("refuses release by a wrong owner, with no effect", async () => {
      const { store } = await setup();
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.release(key, `${owner}-not`)).toBe(false);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.complete(key, owner, TTL_MS)).toBe(true);
    });

    it("refuses extend by a wrong owner", async () => {
      const { store } = await setup();
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.extend(key, `${owner}-not`, LEASE_MS)).toBe(false);
      expect(await store.extend(key, owner, LEASE_MS)).toBe(true);
    });

    it("does not let a previous owner act on a key claimed again after release", async () => {
      const { store } = await setup();
      const key = newKey();
      const first = await claimOwner(store, key);
      expect(await store.release(key, first)).toBe(true);
      const second = await claimOwner(store, key);
      expect(second).not.toBe(first);
      expect(await store.complete(key, first, TTL_MS)).toBe(false);
      expect(await store.release(key, first)).toBe(false);
      expect(await store.extend(key, first, LEASE_MS)).toBe(false);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.complete(key, second, TTL_MS)).toBe(true);
    });

    it("refuses every owner action on a done entry, leaving it done", async () => {
      const { store } = await setup();
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.complete(key, owner, TTL_MS)).toBe(true);
      expect(await store.complete(key, owner, TTL_MS)).toBe(false);
      expect(await store.release(key, owner)).toBe(false);
      expect(await store.extend(key, owner, LEASE_MS)).toBe(false);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    it("refuses owner actions on an unknown key", async () => {
      const { store } = await setup();
      const key = newKey();
      expect(await store.complete(key, "nobody", TTL_MS)).toBe(false);
      expect(await store.release(key, "nobody")).toBe(false);
      expect(await store.extend(key, "nobody", LEASE_MS)).toBe(false);
      await claimOwner(store, key);
    });

    it("reports readiness", async () => {
      const { store } = await setup();
      expect(await store.readiness()).toEqual(expect.objectContaining({ ready: true }));
    });

    timed("keeps a claim until its lease ends, then frees it", async (store, time) => {
      const key = newKey();
      const lease = await time.expiring(time.shortMs, () => claimOwner(store, key, time.shortMs));
      lease.before();
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      await lease.after();
      const next = await claimOwner(store, key);
      expect(next).not.toBe(lease.value);
      expect(await store.complete(key, lease.value, TTL_MS)).toBe(false);
      expect(await store.complete(key, next, TTL_MS)).toBe(true);
    });

    timed("expires a done entry after its ttl", async (store, time) => {
      const key = newKey();
      const owner = await claimOwner(store, key);
      const done = await time.expiring(time.shortMs, () => Promise.resolve(store.complete(key, owner, time.shortMs)));
      expect(done.value).toBe(true);
      done.before();
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
      await done.after();
      await claimOwner(store, key);
    });

    timed("keeps a done entry past the lease it was claimed with", async (store, time) => {
      const key = newKey();
      const lease = await time.expiring(time.shortMs, () => claimOwner(store, key, time.shortMs));
      expect(await store.complete(key, lease.value, TTL_MS)).toBe(true);
      await lease.after();
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    timed("extend keeps a claim alive past its original lease", async (store, time) => {
      const key = newKey();
      const lease = await time.expiring(time.shortMs, () => claimOwner(store, key, time.shortMs));
      lease.before();
      expect(await store.extend(key, lease.value, TTL_MS)).toBe(true);
      await lease.after();
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.complete(key, lease.value, TTL_MS)).toBe(true);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    timed("an extended claim still ends with its new lease", async (store, time) => {
      const key = newKey();
      const owner = await claimOwner(store, key, TTL_MS);
      const extended = await time.expiring(time.shortMs, () => Promise.resolve(store.extend(key, owner, time.shortMs)));
      expect(extended.value).toBe(true);
      extended.before();
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      await extended.after();
      expect(await store.extend(key, owner, LEASE_MS)).toBe(false);
      await claimOwner(store, key);
    });

    timed("refuses owner actions once the lease has lapsed", async (store, time) => {
      const key = newKey();
      const lease = await time.expiring(time.shortMs, () => claimOwner(store, key, time.shortMs));
      await lease.after();
      expect(await store.complete(key, lease.value, TTL_MS)).toBe(false);
      expect(await store.release(key, lease.value)).toBe(false);
      expect(await store.extend(key, lease.value, LEASE_MS)).toBe(false);
      await claimOwner(store, key);
    });
  });
}
