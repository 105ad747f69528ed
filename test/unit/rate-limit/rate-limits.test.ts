// The limits as policy: where refusals start, and counters that fail or answer with foreign promises.
import { describe, expect, it } from "vitest";
import type { ClientStanding, RateLimitCounter, RateLimitCounterFactory } from "../../../src/rate-limit/rate-limit-counter.js";
import { createRateLimits, refusalFor } from "../../../src/rate-limit/rate-limits.js";

const count = (hits: number) => ({ hits, resetAt: 1_700_000_060_000 });

describe("refusalFor", () => {
  it("refuses past the request limit (this request counted) and at the failure limit", () => {
    expect(refusalFor({ requests: count(5), failures: count(0) }, 5, 30)).toBeUndefined();
    expect(refusalFor({ requests: count(6), failures: count(0) }, 5, 30)).toEqual({ limit: 5, remaining: 0, resetAt: 1_700_000_060_000 });
    expect(refusalFor({ requests: count(1), failures: count(29) }, 5, 30)).toBeUndefined();
    expect(refusalFor({ requests: count(1), failures: count(30) }, 5, 30)).toEqual({ limit: 30, remaining: 0, resetAt: 1_700_000_060_000 });
  });

  it("passes what was not counted, and ignores a limit of 0", () => {
    expect(refusalFor({ requests: undefined, failures: undefined }, 5, 30)).toBeUndefined();
    expect(refusalFor({ requests: count(1_000), failures: count(1_000) }, 0, 0)).toBeUndefined();
  });
});

/** A counter factory whose every call behaves as `behave` says. */
function counterThat(behave: "throws" | "rejects" | "foreign-thenable"): RateLimitCounterFactory {
  const over: ClientStanding = { requests: count(100), failures: count(0) };
  return (): RateLimitCounter => {
    const answer = <T>(value: T): T => {
      if (behave === "throws") throw new Error("counter down");
      if (behave === "rejects") return Promise.reject(new Error("counter down")) as T;
      // A thenable that is not a native promise (another library, another realm).
      return { then: (resolve: (v: T) => void) => resolve(value) } as T;
    };
    return { countRequest: () => answer(over), countFailure: () => answer(undefined), close: () => undefined };
  };
}

describe("createRateLimits", () => {
  it.each(["throws", "rejects"] as const)("lets requests through when its counter %s, and reports it", async (behave) => {
    const errors: unknown[] = [];
    const logger = { debug: (object: { err: unknown }) => errors.push(object.err) };
    const limits = createRateLimits({ perMinute: 5, failuresPerMinute: 30, counter: counterThat(behave), logger: logger as never });
    expect(await limits.admit("client")).toBeUndefined();
    await expect(Promise.resolve(limits.recordFailure("client", 401))).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
  });

  it("awaits a counter that answers with a thenable of another library", async () => {
    const limits = createRateLimits({ perMinute: 5, failuresPerMinute: 30, counter: counterThat("foreign-thenable") });
    // Taken for a standing instead of awaited, the thenable would read as "not counted" and admit.
    expect(await limits.admit("client")).toMatchObject({ limit: 5, remaining: 0 });
  });

  it("counts only 400, 401, 413 and 415 as failures", () => {
    const counted: string[] = [];
    const counter: RateLimitCounterFactory = () => ({
      countRequest: () => ({ requests: count(1), failures: count(0) }),
      countFailure: (key) => void counted.push(key),
      close: () => undefined,
    });
    const limits = createRateLimits({ perMinute: 5, failuresPerMinute: 30, counter });
    for (const status of [200, 400, 401, 404, 409, 413, 415, 429, 500, 503]) void limits.recordFailure(String(status), status);
    expect(counted).toEqual(["400", "401", "413", "415"]);
  });
});
