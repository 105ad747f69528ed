// forwardVerdict and the FORWARD_TYPES filter: pure decisions of the forward handler.
import { describe, expect, it } from "vitest";
import { forwardVerdict } from "../../../src/forward/forward-verdict.js";
import { createTypeFilter, registrationTypes } from "../../../src/forward/type-filter.js";

const NOW = Date.UTC(2026, 0, 1);

describe("forwardVerdict", () => {
  it.each([200, 201, 202, 204, 299])("%i is delivered", (status) => {
    expect(forwardVerdict(status, null, NOW)).toEqual({ kind: "delivered" });
  });

  it("401 asks for a new token", () => {
    expect(forwardVerdict(401, null, NOW)).toEqual({ kind: "unauthorized" });
  });

  it.each([408, 429, 500, 502, 503, 504])("%i is retryable", (status) => {
    expect(forwardVerdict(status, null, NOW)).toEqual({ kind: "retryable", retryAfterMs: undefined });
  });

  it("keeps Retry-After of a 429 or 503, seconds or HTTP-date", () => {
    expect(forwardVerdict(429, "7", NOW)).toEqual({ kind: "retryable", retryAfterMs: 7000 });
    expect(forwardVerdict(503, new Date(NOW + 30_000).toUTCString(), NOW)).toEqual({ kind: "retryable", retryAfterMs: 30_000 });
  });

  it.each([300, 302, 400, 403, 404, 409, 410, 413, 422])("%i is permanent", (status) => {
    expect(forwardVerdict(status, null, NOW)).toEqual({ kind: "permanent" });
  });
});

describe("FORWARD_TYPES", () => {
  it("lets every type through when empty", () => {
    expect(createTypeFilter([])("anything.at.all")).toBe(true);
    expect(registrationTypes([])).toEqual(["*"]);
  });

  it("matches exact types and prefix.* (never the bare prefix or a longer word)", () => {
    const wants = createTypeFilter(["batch.*", "response.completed"]);
    expect(["batch.completed", "batch.x.y", "response.completed"].map(wants)).toEqual([true, true, true]);
    expect(["batch", "batches.completed", "response.failed", "response.completed.extra"].map(wants)).toEqual([false, false, false, false]);
    expect(registrationTypes(["batch.*", "response.completed"])).toEqual(["*"]);
  });

  it("registers under the exact types when there is no prefix", () => {
    expect(registrationTypes(["response.completed", "batch.failed", "response.completed"])).toEqual(["response.completed", "batch.failed"]);
  });
});
