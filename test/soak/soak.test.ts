// The short soak inside `npm test`: the same core as `npm run soak`, for about 3 seconds.
import { describe, expect, it } from "vitest";
import { runSoak } from "./run-soak.js";

describe("soak (short)", () => {
  it("handles every valid event exactly once, no forged one, with a 2xx to the sender for each, at stable memory", async () => {
    const report = await runSoak({ seconds: 3, rate: 150, seed: 424_242 });
    expect(report.violations).toEqual([]);
    // The run really exercised each path it claims to.
    expect(report.validEvents).toBeGreaterThan(400);
    expect(report.forgedEvents).toBeGreaterThan(0);
    expect(report.duplicateSends).toBeGreaterThan(0);
    expect(report.handlerFailures).toBeGreaterThan(0);
    expect(report.retries).toBeGreaterThanOrEqual(report.handlerFailures);
    expect(report.statuses["401"]).toBe(report.forgedEvents);
    expect(report.handlerRuns).toBe(report.validEvents);
  }, 30_000);
});
