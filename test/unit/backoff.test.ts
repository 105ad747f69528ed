// Pure retry arithmetic: full-jitter bounds (property-based) and Retry-After parsing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, exponentialDelayMs, lightJitterDelayMs, parseRetryAfterMs } from "../../src/backoff.js";

describe("backoffDelayMs", () => {
  it("stays within [0, min(max, base * 2^retry))", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const delay = backoffDelayMs(retry, 200, 5000, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.min(5000, 200 * 2 ** retry));
      }),
    );
  });
});

describe("lightJitterDelayMs", () => {
  it("stays within 80% to 100% of min(max, base * 2^retry), capped at one hour for job retries", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, r) => {
        const full = Math.min(3_600_000, 1000 * 2 ** retry);
        const delay = lightJitterDelayMs(retry, 1000, 3_600_000, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(full * 0.8));
        expect(delay).toBeLessThanOrEqual(full);
      }),
    );
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it.each([
    ["5", 5000],
    [" 0 ", 0],
    ["Wed, 01 Jan 2025 00:00:30 GMT", 30_000],
    ["Tue, 31 Dec 2024 23:00:00 GMT", 0],
    ["soon", undefined],
    ["-3", undefined],
    [null, undefined],
  ])("%s -> %s", (value, expected) => expect(parseRetryAfterMs(value, now)).toBe(expected));
});

describe("exponentialDelayMs", () => {
  it("doubles from the base and stops at the cap, however many retries", () => {
    expect([0, 1, 2, 3].map((retry) => exponentialDelayMs(retry, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000]);
    expect(exponentialDelayMs(5, 1000, 30_000)).toBe(30_000);
    expect(exponentialDelayMs(10_000, 50, 2000)).toBe(2000);
  });
});
