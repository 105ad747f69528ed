// The memory replay store: the shared contract on a fake clock, plus its LRU bound.
import { describe, expect, it, vi } from "vitest";
import { createMemoryReplayStore } from "../../../src/replay/memory-replay-store.js";
import { replayStoreContract } from "../../contract/replay-store-contract.js";
import { fakeClock } from "../../support/fake-clock.js";

replayStoreContract("memory", () => {
  const clock = fakeClock();
  return Promise.resolve({ store: createMemoryReplayStore({ clock }), clock });
});

// The default clock too: the timed tests then run on real time, as for Redis.
replayStoreContract("memory on the system clock", () => Promise.resolve({ store: createMemoryReplayStore() }));

describe("memory replay store bound", () => {
  it("evicts the least recently used entry past maxEntries and calls onEvict with its key", async () => {
    const evicted: string[] = [];
    const store = createMemoryReplayStore({ maxEntries: 2, clock: fakeClock(), onEvict: (key) => evicted.push(key) });
    await store.claim("a", 30_000);
    await store.claim("b", 30_000);
    expect(evicted).toEqual([]);
    await store.claim("c", 30_000);
    expect(evicted).toEqual(["a"]);
    expect(await store.claim("a", 30_000)).toEqual(expect.objectContaining({ status: "claimed" }));
    expect(evicted).toEqual(["a", "b"]);
    expect(await store.claim("c", 30_000)).toEqual({ status: "in_progress" });
  });

  it("counts a lookup as a use: the untouched entry goes first", async () => {
    const evicted: string[] = [];
    const store = createMemoryReplayStore({ maxEntries: 2, clock: fakeClock(), onEvict: (key) => evicted.push(key) });
    await store.claim("a", 30_000);
    await store.claim("b", 30_000);
    expect(await store.claim("a", 30_000)).toEqual({ status: "in_progress" });
    await store.claim("c", 30_000);
    expect(evicted).toEqual(["b"]);
    expect(await store.claim("a", 30_000)).toEqual({ status: "in_progress" });
  });

  it("evicts done entries too, and reports them", async () => {
    const evicted: string[] = [];
    const store = createMemoryReplayStore({ maxEntries: 1, clock: fakeClock(), onEvict: (key) => evicted.push(key) });
    const first = await store.claim("a", 30_000);
    if (first.status !== "claimed") throw new Error("expected a claim");
    expect(await store.complete("a", first.owner, 600_000)).toBe(true);
    await store.claim("b", 30_000);
    expect(evicted).toEqual(["a"]);
  });

  it("does not call onEvict for complete, release or expiry", async () => {
    const evicted: string[] = [];
    const clock = fakeClock();
    const store = createMemoryReplayStore({ maxEntries: 10, clock, onEvict: (key) => evicted.push(key) });
    const a = await store.claim("a", 30_000);
    const b = await store.claim("b", 30_000);
    if (a.status !== "claimed" || b.status !== "claimed") throw new Error("expected claims");
    expect(await store.complete("a", a.owner, 600_000)).toBe(true);
    expect(await store.release("b", b.owner)).toBe(true);
    await store.claim("c", 1_000);
    clock.advance(2_000);
    expect(await store.claim("c", 1_000)).toEqual(expect.objectContaining({ status: "claimed" }));
    expect(evicted).toEqual([]);
  });

  it("holds up to maxEntries without evicting", async () => {
    const onEvict = vi.fn();
    const store = createMemoryReplayStore({ maxEntries: 50, clock: fakeClock(), onEvict });
    for (let index = 0; index < 50; index++) await store.claim(`k${index}`, 30_000);
    expect(onEvict).not.toHaveBeenCalled();
    for (let index = 0; index < 50; index++) expect(await store.claim(`k${index}`, 30_000)).toEqual({ status: "in_progress" });
  });

  it("forgets everything on close", async () => {
    const store = createMemoryReplayStore({ clock: fakeClock() });
    await store.claim("a", 30_000);
    await store.close();
    expect(await store.claim("a", 30_000)).toEqual(expect.objectContaining({ status: "claimed" }));
  });
});
