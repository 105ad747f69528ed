// A plain fake clock for injected time: read on every call, moved only by `advance` (no timer tricks, no sleeps).
import type { Clock } from "../../src/clock.js";

/** A clock standing at `start` (ms since the epoch) until advanced. */
export function fakeClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}
