// What the inspector says the handlers did, from the outcome and then from the log lines about the event.
import { describe, expect, it } from "vitest";
import { handlersFromLog, handlersFromOutcome, type InspectedLogLine } from "../../../../src/dev/inspector/inspected-delivery.js";

const line = (msg: string, fields: Record<string, unknown> = {}): InspectedLogLine => ({ time: 1, level: 30, msg, fields });

describe("handlersFromOutcome", () => {
  it.each([
    ["processed", true, "ok"],
    ["handler_timeout", true, "timeout"],
    ["handler_failed", true, "error"],
    ["queued", true, "queued"],
    ["ignored", true, "no handler"],
    ["duplicate", true, "not run (duplicate)"],
    ["delivery_in_progress", true, "not run"],
    ["invalid_signature", false, "not run (refused)"],
  ])("%s -> %s", (outcome, verified, expected) => {
    expect(handlersFromOutcome(outcome, verified)).toBe(expected);
  });
});

describe("handlersFromLog", () => {
  it("reads a failure's own messages, a queued run's attempt and a late settle", () => {
    expect(handlersFromLog(line("handler failed", { err: { message: "2 handler(s) failed", aggregateErrors: [{ message: "a" }, { message: "b" }] } }))).toBe("error: a; b");
    expect(handlersFromLog(line("handler failed", { err: { message: "plain" } }))).toBe("error: plain");
    expect(handlersFromLog(line("queued event dead lettered after its last attempt", { attempt: 10, err: { message: "down" } }))).toBe("attempt 10: error: down (dead lettered)");
    expect(handlersFromLog(line("handler settled after its timeout", { outcome: "processed" }))).toBe("timeout, then ok");
    expect(handlersFromLog(line("handler settled after its timeout", { outcome: "handler_failed", err: { message: "late boom" } }))).toBe("timeout, then error: late boom");
  });

  it("says nothing about other lines", () => {
    expect(handlersFromLog(line("charging the order", { attempt: 1 }))).toBeUndefined();
  });
});
