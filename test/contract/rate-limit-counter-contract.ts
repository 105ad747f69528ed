// The RateLimitCounter contract as a reusable suite: counts per client, both limiters apart, never a throw.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { CountedLimits, RateLimitCounter, RateLimitCounterFactory } from "../../src/rate-limit/rate-limit-counter.js";

const WINDOW_MS = 60_000;
const BOTH: CountedLimits = { requests: true, failures: true, windowMs: WINDOW_MS };

/** What a backend under test offers beyond the contract's basics. */
export interface CounterContractOptions {
  /**
   * Whether concurrent requests each read their own count. express-rate-limit's MemoryStore
   * answers with its live entry, so a batch in one tick all read the last count.
   */
  readonly ownCountUnderConcurrency?: boolean;
}

/** Defines a `describe` block checking the counters `makeFactory` makes against the contract. */
export function rateLimitCounterContract(name: string, makeFactory: () => RateLimitCounterFactory, options: CounterContractOptions = {}): void {
  describe(`RateLimitCounter contract: ${name}`, () => {
    const open: RateLimitCounter[] = [];
    let errors: unknown[] = [];
    afterEach(() => {
      for (const counter of open.splice(0)) counter.close();
      errors = [];
    });
    const counter = (limits: CountedLimits = BOTH): RateLimitCounter => {
      const made = makeFactory()(limits, (error) => errors.push(error));
      open.push(made);
      return made;
    };
    /** A fresh client key per test, so shared backends (Redis) never mix tests. */
    const client = (): string => `client-${randomUUID()}`;

    it("counts each request of a client, this one included, with the end of its window", async () => {
      const c = counter();
      const key = client();
      const before = Date.now();
      const hits: number[] = [];
      for (let i = 0; i < 3; i++) hits.push((await c.countRequest(key)).requests?.hits ?? -1);
      expect(hits).toEqual([1, 2, 3]);
      const reset = (await c.countRequest(key)).requests?.resetAt;
      expect(reset).toBeGreaterThan(before);
      expect(reset).toBeLessThanOrEqual(Date.now() + WINDOW_MS);
      expect(errors).toEqual([]);
    });

    it("reads failures apart from requests: only countFailure raises them", async () => {
      const c = counter();
      const key = client();
      expect((await c.countRequest(key)).failures?.hits).toBe(0);
      await c.countFailure(key);
      await c.countFailure(key);
      const standing = await c.countRequest(key);
      expect(standing.failures?.hits).toBe(2);
      expect(standing.requests?.hits).toBe(2);
    });

    it("keeps clients apart", async () => {
      const c = counter();
      const [a, b] = [client(), client()];
      await c.countRequest(a);
      await c.countFailure(a);
      expect(await c.countRequest(b)).toMatchObject({ requests: { hits: 1 }, failures: { hits: 0 } });
    });

    it.runIf(options.ownCountUnderConcurrency ?? true)("counts concurrent requests exactly once each, each reading its own count", async () => {
      const c = counter();
      const key = client();
      const standings = await Promise.all(Array.from({ length: 50 }, () => Promise.resolve(c.countRequest(key))));
      expect(standings.map((s) => s.requests?.hits).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it("counts only what its limits keep", async () => {
      const key = client();
      const requestsOnly = counter({ requests: true, failures: false, windowMs: WINDOW_MS });
      await requestsOnly.countFailure(key);
      const requestsCounted = await requestsOnly.countRequest(key);
      expect(requestsCounted.requests?.hits).toBe(1);
      expect(requestsCounted.failures).toBeUndefined();
      const failuresOnly = counter({ requests: false, failures: true, windowMs: WINDOW_MS });
      await failuresOnly.countFailure(key);
      const failuresCounted = await failuresOnly.countRequest(key);
      expect(failuresCounted.requests).toBeUndefined();
      expect(failuresCounted.failures?.hits).toBe(1);
    });
  });
}
