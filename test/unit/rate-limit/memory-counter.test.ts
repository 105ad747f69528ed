// The memory counter: the contract, fixed windows on a fake clock, and memory bounded by maxClients.
import { describe, expect, it } from "vitest";
import { memoryCounter } from "../../../src/rate-limit/memory-counter.js";
import type { ClientStanding, RateLimitCounter } from "../../../src/rate-limit/rate-limit-counter.js";
import { rateLimitCounterContract } from "../../contract/rate-limit-counter-contract.js";
import { fakeClock } from "../../support/fake-clock.js";

const LIMITS = { requests: true, failures: true, windowMs: 60_000 };

/** Counts a request and returns its standing (awaited: whether it comes at once is not the contract). */
async function countNow(counter: RateLimitCounter, key: string): Promise<ClientStanding> {
  return await counter.countRequest(key);
}

rateLimitCounterContract("memory", () => memoryCounter());

describe("memoryCounter", () => {
  it("keeps a window for windowMs from its first hit, then starts a new one", async () => {
    const clock = fakeClock();
    const counter = memoryCounter({ clock })(LIMITS, () => undefined);
    const start = clock.now();
    expect(await countNow(counter, "a")).toEqual({ requests: { hits: 1, resetAt: start + 60_000 }, failures: { hits: 0, resetAt: undefined } });
    await counter.countFailure("a");
    clock.advance(59_999);
    const late = await countNow(counter, "a");
    expect(late.requests).toEqual({ hits: 2, resetAt: start + 60_000 });
    expect(late.failures).toEqual({ hits: 1, resetAt: start + 60_000 });
    clock.advance(1);
    const next = await countNow(counter, "a");
    expect(next.requests).toEqual({ hits: 1, resetAt: start + 120_000 });
    expect(next.failures?.hits).toBe(0);
  });

  it("forgets the least recently seen clients past maxClients (bounded memory under a spread flood)", async () => {
    const counter = memoryCounter({ maxClients: 2 })(LIMITS, () => undefined);
    await countNow(counter, "a");
    expect((await countNow(counter, "a")).requests?.hits).toBe(2);
    await countNow(counter, "b");
    await countNow(counter, "c"); // pushes out "a"
    expect((await countNow(counter, "a")).requests?.hits).toBe(1);
  });
});
