// The replay guard's "done" mark: it lands over the memory store, is retried in the background after a failure, and foreign thenables are awaited.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryReplayStore } from "../../../src/replay/memory-replay-store.js";
import type { ReplayStore } from "../../../src/replay/replay-store.js";
import { guardOver as guardWithLease } from "../../support/replay-guard-harness.js";

const LEASE_MS = 30_000;
const SIGNED_AT = () => Math.floor(Date.now() / 1000);
const guardOver = (store: ReplayStore) => guardWithLease(store, LEASE_MS);

async function claimed(guard: ReturnType<typeof guardOver>["guard"], key: string): Promise<string> {
  const claim = await guard.claim(key);
  if (claim.status !== "claimed") throw new Error(`expected a claim, got ${claim.status}`);
  return claim.owner;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("replay guard complete", () => {
  it("marks done over the memory store: the next claim is a duplicate, nothing counted lost", async () => {
    const store = createMemoryReplayStore();
    const { guard, lost } = guardOver(store);
    const owner = await claimed(guard, "a");
    await guard.complete("a", owner, SIGNED_AT());
    expect(await store.claim("a", LEASE_MS)).toEqual({ status: "duplicate" });
    expect(await lost()).toBe(0);
  });

  it("counts a claim lost before the mark (then at-least-once)", async () => {
    const { guard, lost } = guardOver(createMemoryReplayStore());
    await claimed(guard, "a");
    await guard.complete("a", "not-the-owner", SIGNED_AT());
    expect(await lost()).toBe(1);
  });

  it.each(["throws", "rejects"] as const)("retries in the background when the store %s, until the mark lands", async (how) => {
    vi.useFakeTimers();
    const inner = createMemoryReplayStore();
    let failures = 2;
    const store: ReplayStore = {
      ...inner,
      complete(key, owner, ttlMs) {
        if (failures > 0) {
          failures -= 1;
          if (how === "throws") throw new Error("store down");
          return Promise.reject(new Error("store down"));
        }
        return inner.complete(key, owner, ttlMs);
      },
    };
    const { guard, lost } = guardOver(store);
    const owner = await claimed(guard, "a");
    await guard.complete("a", owner, SIGNED_AT()); // never throws: the event was handled
    expect(await inner.claim("a", LEASE_MS)).toEqual({ status: "in_progress" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(failures).toBe(0);
    expect(await inner.claim("a", LEASE_MS)).toEqual({ status: "duplicate" });
    expect(await lost()).toBe(0);
  });

  it("awaits a store that answers with a thenable of another library, and maps its failures", async () => {
    const inner = createMemoryReplayStore();
    /** A thenable that is not a native promise (another library, another realm). */
    const foreign = <T>(settle: () => T) => ({
      then(resolve: (value: T) => void, reject: (reason: unknown) => void): void {
        try {
          resolve(settle());
        } catch (error) {
          reject(error);
        }
      },
    });
    let down = false;
    const store: ReplayStore = {
      ...inner,
      claim: (key, leaseMs) =>
        foreign(() => {
          if (down) throw new Error("store down");
          return inner.claim(key, leaseMs);
        }) as never,
      complete: () => foreign(() => false) as never,
    };
    const { guard, lost } = guardOver(store);
    const claim = await guard.claim("a");
    expect(claim.status).toBe("claimed"); // the thenable's answer, not the thenable taken for one
    expect(await inner.claim("a", LEASE_MS)).toEqual({ status: "in_progress" }); // and the claim really reached the store
    await guard.complete("a", claim.status === "claimed" ? claim.owner : "", SIGNED_AT());
    expect(await lost()).toBe(1);
    down = true;
    await expect(Promise.resolve(guard.claim("b"))).rejects.toMatchObject({ code: "replay_store_unavailable" });
  });
});
