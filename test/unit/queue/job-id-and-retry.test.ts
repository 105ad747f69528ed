// Job ids from dedupe keys (no ":", one per key) and the retry wait of failed jobs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClassifiedHandlerError } from "../../../src/dispatch/classified-handler-error.js";
import { HandlerFailedError } from "../../../src/dispatch/handler-failed-error.js";
import { JOB_RETRY_MAX_MS, jobRetryDelayAfter, jobRetryDelayMs } from "../../../src/queue/job-retry.js";
import { jobIdFor } from "../../../src/queue/queued-event.js";

describe("jobIdFor", () => {
  it("never contains ':' and maps distinct dedupe keys to distinct ids", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), fc.string({ unit: "grapheme", minLength: 1 }), (a, b) => {
        const [x, y] = [jobIdFor(`chatgpt:${a}`), jobIdFor(`chatgpt:${b}`)];
        expect(x).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(x === y).toBe(a === b);
      }),
    );
  });
});

describe("jobRetryDelayMs", () => {
  it("doubles from JOB_BACKOFF_MS after each failure, less at most a fifth, capped at one hour", () => {
    const none = (): number => 0;
    expect([1, 2, 3, 4].map((made) => jobRetryDelayMs(made, 1000, none))).toEqual([1000, 2000, 4000, 8000]);
    expect(jobRetryDelayMs(40, 1000, none)).toBe(JOB_RETRY_MAX_MS);
    expect(jobRetryDelayMs(1, 1000, () => 0.999999)).toBeGreaterThanOrEqual(800);
  });
});

describe("jobRetryDelayAfter", () => {
  const none = (): number => 0;
  const askedFor = (ms: number): HandlerFailedError =>
    new HandlerFailedError([new ClassifiedHandlerError("forward_failed", "429", { retryable: true, retryAfterMs: ms })], "evt_1", "batch.completed");

  it("waits at least what the failure asked for (Retry-After), never past an hour", () => {
    expect(jobRetryDelayAfter(1, 1000, askedFor(7000), none)).toBe(7000);
    expect(jobRetryDelayAfter(4, 1000, askedFor(7000), none)).toBe(8000);
    expect(jobRetryDelayAfter(1, 1000, askedFor(10 * JOB_RETRY_MAX_MS), none)).toBe(JOB_RETRY_MAX_MS);
  });

  it("is the plain backoff for other failures", () => {
    expect(jobRetryDelayAfter(2, 1000, new Error("boom"), none)).toBe(2000);
    expect(jobRetryDelayAfter(2, 1000, undefined, none)).toBe(2000);
  });
});

