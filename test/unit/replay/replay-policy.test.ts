// Lease and retention policy: a done mark outlives the provider's retries and its own freshness window.
import { describe, expect, it } from "vitest";
import { doneTtlMs, extendEveryMsFor, leaseMsFor } from "../../../src/replay/replay-policy.js";

const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;
const DEFAULTS = { retentionSeconds: 345_600, toleranceSeconds: 300 };

describe("done mark retention", () => {
  it("remembers a handled event for the retention, longer than the provider's 72-hour retries", () => {
    expect(doneTtlMs(DEFAULTS, NOW_S, NOW_MS)).toBe(345_600_000);
    expect(doneTtlMs(DEFAULTS, NOW_S, NOW_MS)).toBeGreaterThan(72 * 3600 * 1000);
  });

  it("never expires before the delivery's freshness window closes, whatever the retention", () => {
    const short = { retentionSeconds: 5, toleranceSeconds: 300 };
    expect(doneTtlMs(short, NOW_S, NOW_MS)).toBe(301_000);
    // Signed at the far edge of the window in the future: the window closes 601 s from now.
    expect(doneTtlMs(short, NOW_S + 300, NOW_MS)).toBe(601_000);
    // Signed at the old edge: one second of window left, plus the second of rounding.
    expect(doneTtlMs(short, NOW_S - 300, NOW_MS)).toBe(5_000);
  });
});

describe("claim lease", () => {
  it.each([
    [1_000, 30_000],
    [15_000, 30_000],
    [60_000, 120_000],
  ])("with a %i ms handler timeout lasts %i ms and is extended every third of it", (timeoutMs, leaseMs) => {
    expect(leaseMsFor(timeoutMs)).toBe(leaseMs);
    expect(extendEveryMsFor(leaseMs)).toBe(Math.floor(leaseMs / 3));
    // The first extension comes when the timeout fires, before half the lease has gone.
    expect(timeoutMs).toBeLessThanOrEqual(leaseMs / 2);
  });
});
