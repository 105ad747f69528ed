// The local counts between syncs, on a fake clock: exact own counts (in flight included), stale
// views, ended windows, pruning and the table's bound. No Redis: the counter does the I/O.
import { describe, expect, it } from "vitest";
import { createLocalCounts } from "../../../src/rate-limit/local-counts.js";
import type { CountedLimits, WindowCount } from "../../../src/rate-limit/rate-limit-counter.js";
import { fakeClock } from "../../support/fake-clock.js";

const SYNC_MS = 100;
const LIMITS: CountedLimits = { requests: true, failures: true, windowMs: 60_000, requestsPerWindow: 20, failuresPerWindow: 10 };

function setup(maxClients?: number) {
  const clock = fakeClock();
  const local = createLocalCounts(LIMITS, SYNC_MS, clock, maxClients);
  const count = (hits: number): WindowCount => ({ hits, resetAt: clock.now() + 60_000 });
  return { clock, local, count };
}

describe("local counts", () => {
  it("counts nothing locally for a client it has no shared counts of", () => {
    const { local } = setup();
    expect(local.countLocally("a")).toBeUndefined();
  });

  it("counts a synced client's requests on top of the shared count, requests still on their way included", () => {
    const { local, count } = setup();
    // Three first requests go to Redis at once; the first answer arrives while two are still out.
    const first = local.take("a", 1);
    local.take("a", 1);
    local.take("a", 1);
    local.synced(first, count(1), count(0));
    expect(local.countLocally("a")?.requests?.hits).toBe(4);
    expect(local.countLocally("a")?.requests?.hits).toBe(5);
    // A flush takes the two local counts; the next local count still sees them.
    const flushed = local.take("a", 0);
    expect(flushed).toMatchObject({ count: 2, tracked: true });
    expect(local.countLocally("a")?.requests?.hits).toBe(6);
  });

  it("stops counting locally once the shared counts are an interval old, or past half a limit", () => {
    const { clock, local, count } = setup();
    local.synced(local.take("a", 1), count(9), count(0));
    expect(local.countLocally("a")?.requests?.hits).toBe(10);
    expect(local.countLocally("a")).toBeUndefined(); // 11 of 20 would pass half
    local.synced(local.take("b", 1), count(1), count(4));
    expect(local.countLocally("b")).toBeDefined();
    clock.advance(SYNC_MS);
    expect(local.countLocally("b")).toBeUndefined();
    local.synced(local.take("c", 1), count(1), count(5)); // five failures: half the failure limit
    expect(local.countLocally("c")).toBeUndefined();
  });

  it("drops local counts of a window that has ended instead of adding them to the next", () => {
    const { clock, local } = setup();
    local.synced(local.take("a", 1), { hits: 1, resetAt: clock.now() + 50 }, { hits: 0, resetAt: undefined });
    expect(local.countLocally("a")).toBeDefined();
    expect(local.countLocally("a")).toBeDefined();
    clock.advance(50);
    expect(local.countLocally("a")).toBeUndefined();
    expect(local.take("a", 1)).toMatchObject({ count: 1 });
  });

  it("forgets a batch that got no answer, and prunes stale clients with nothing on their way", () => {
    const { clock, local, count } = setup();
    const batch = local.take("a", 1);
    local.synced(local.take("b", 1), count(1), count(0));
    expect(local.size).toBe(2);
    clock.advance(SYNC_MS);
    local.prune();
    expect(local.size).toBe(1); // "a" still has a batch on its way
    local.unsent(batch);
    local.prune();
    expect(local.size).toBe(0);
  });

  it("keeps at most its bound of clients; past it, new clients are counted in Redis only", () => {
    const { local, count } = setup(2);
    for (const key of ["a", "b"]) local.synced(local.take(key, 1), count(1), count(0));
    const untracked = local.take("c", 1);
    expect(untracked).toEqual({ key: "c", count: 1, tracked: false });
    local.synced(untracked, count(1), count(0));
    expect(local.size).toBe(2);
    expect(local.countLocally("c")).toBeUndefined();
    expect(local.countLocally("a")).toBeDefined();
  });

  it("counts failures only with a failures-only limit", () => {
    const clock = fakeClock();
    const local = createLocalCounts({ requests: false, failures: true, windowMs: 60_000, failuresPerWindow: 10 }, SYNC_MS, clock);
    local.synced(local.take("a", 1), undefined, { hits: 2, resetAt: clock.now() + 60_000 });
    expect(local.countLocally("a")).toEqual({ requests: undefined, failures: { hits: 2, resetAt: clock.now() + 60_000 } });
  });
});
