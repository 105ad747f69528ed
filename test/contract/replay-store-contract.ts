// The ReplayStore contract (DESIGN.md section 5) as a reusable suite: any store, sync or async.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ClaimResult, ReplayStore } from "../../src/replay/replay-store.js";

/** A store under test, with a way to move its time forward when the store allows one. */
export interface ReplayStoreFixture {
  readonly store: ReplayStore;
  /** Moves the store's clock forward; time-based tests are skipped without it. */
  readonly clock?: { advance(ms: number): void };
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

    /** Runs `test` only when the fixture can move time; otherwise marks the test skipped. */
    function timed(
      title: string,
      test: (store: ReplayStore, advance: (ms: number) => void) => Promise<void>,
    ): void {
      it(title, async (context) => {
        const { store, clock } = await setup();
        if (clock === undefined) {
          context.skip("this store has no controllable clock");
          return;
        }
        await test(store, (ms) => clock.advance(ms));
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

    timed("keeps a claim until its lease ends, then frees it", async (store, advance) => {
      const key = newKey();
      const owner = await claimOwner(store, key);
      advance(LEASE_MS - 1_000);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      advance(2_000);
      const next = await claimOwner(store, key);
      expect(next).not.toBe(owner);
      expect(await store.complete(key, owner, TTL_MS)).toBe(false);
      expect(await store.complete(key, next, TTL_MS)).toBe(true);
    });

    timed("expires a done entry after its ttl", async (store, advance) => {
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.complete(key, owner, TTL_MS)).toBe(true);
      advance(TTL_MS - 1_000);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
      advance(2_000);
      await claimOwner(store, key);
    });

    timed("keeps a done entry past the lease it was claimed with", async (store, advance) => {
      const key = newKey();
      const owner = await claimOwner(store, key, LEASE_MS);
      expect(await store.complete(key, owner, TTL_MS)).toBe(true);
      advance(LEASE_MS + 1_000);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    timed("extend keeps a claim alive past its original lease", async (store, advance) => {
      const key = newKey();
      const owner = await claimOwner(store, key);
      advance(LEASE_MS - 1_000);
      expect(await store.extend(key, owner, LEASE_MS)).toBe(true);
      advance(2_000);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "in_progress" });
      expect(await store.complete(key, owner, TTL_MS)).toBe(true);
      expect(await store.claim(key, LEASE_MS)).toEqual({ status: "duplicate" });
    });

    timed("an extended claim still ends with its new lease", async (store, advance) => {
      const key = newKey();
      const owner = await claimOwner(store, key);
      expect(await store.extend(key, owner, LEASE_MS)).toBe(true);
      advance(LEASE_MS + 1_000);
      expect(await store.extend(key, owner, LEASE_MS)).toBe(false);
      await claimOwner(store, key);
    });

    timed("refuses owner actions once the lease has lapsed", async (store, advance) => {
      const key = newKey();
      const owner = await claimOwner(store, key);
      advance(LEASE_MS + 1_000);
      expect(await store.complete(key, owner, TTL_MS)).toBe(false);
      expect(await store.release(key, owner)).toBe(false);
      expect(await store.extend(key, owner, LEASE_MS)).toBe(false);
      await claimOwner(store, key);
    });
  });
}
