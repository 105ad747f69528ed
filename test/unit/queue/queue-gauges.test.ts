// When the queue gauges read Redis again: first scrape, then once 5 s passed (or the clock went back).
import { describe, expect, it } from "vitest";
import { QUEUE_GAUGE_REFRESH_MS, queueCountsDue } from "../../../src/queue/queue-gauges.js";

describe("queueCountsDue", () => {
  it("reads on the first scrape, not again within 5 s, again from 5 s on, and again if the clock went back", () => {
    expect(queueCountsDue(undefined, 1_000)).toBe(true);
    expect(queueCountsDue(1_000, 1_000)).toBe(false);
    expect(queueCountsDue(1_000, 1_000 + QUEUE_GAUGE_REFRESH_MS - 1)).toBe(false);
    expect(queueCountsDue(1_000, 1_000 + QUEUE_GAUGE_REFRESH_MS)).toBe(true);
    expect(queueCountsDue(1_000, 999)).toBe(true);
  });
});
