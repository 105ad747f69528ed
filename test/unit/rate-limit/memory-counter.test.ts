// The memory counter: the contract, fixed windows on a fake clock, and memory bounded by maxClients.
import { describe, expect, it } from "vitest";
import { memoryCounter } from "../../../src/rate-limit/memory-counter.js";
import type { ClientStanding, RateLimitCounter } from "../../../src/rate-limit/rate-limit-counter.js";
import { rateLimitCounterContract } from "../../contract/rate-limit-counter-contract.js";
import { fakeClock } from "../../support/fake-clock.js";

const LIMITS = { requests: true, failures: true, windowMs: 60_000 };

/** Counts a request and returns its standing, which the memory counter gives synchronously. */
function countNow(counter: RateLimitCounter, key: string): ClientStanding {
  const standing = counter.countRequest(key);
  if (standing instanceof Promise) throw new Error("the memory counter answered with a promise");
  return standing;
}

rateLimitCounterContract("memory", () => memoryCounter());

describe("memoryCounter", () => {
  it("answers synchronously", () => {
    const counter = memoryCounter()(LIMITS, () => undefined);
    const standing = countNow(counter, "a");
    expect(standing.requests?.hits).toBe(1);
    expect(standing.requests?.resetAt).toBeTypeOf("number");
    expect(standing.failures).toEqual({ hits: 0, resetAt: undefined });
  });

  it("keeps a window for windowMs from its first hit, then starts a new one", () => {
    const clock = fakeClock();
    const counter = memoryCounter({ clock })(LIMITS, () => undefined);
    const start = clock.now();
    countNow(counter, "a");
    void counter.countFailure("a");
    clock.advance(59_999);
    const late = countNow(counter, "a");
    expect(late.requests).toEqual({ hits: 2, resetAt: start + 60_000 });
    expect(late.failures).toEqual({ hits: 1, resetAt: start + 60_000 });
    clock.advance(1);
    const next = countNow(counter, "a");
    expect(next.requests).toEqual({ hits: 1, resetAt: start + 120_000 });
    expect(next.failures?.hits).toBe(0);
  });

  it("forgets the least recently seen clients past maxClients (bounded memory under a spread flood)", () => {
    const counter = memoryCounter({ maxClients: 2 })(LIMITS, () => undefined);
    countNow(counter, "a");
    countNow(counter, "a");
    countNow(counter, "b");
    countNow(counter, "c"); // pushes out "a"
    expect(countNow(counter, "a").requests?.hits).toBe(1);
  });
});
