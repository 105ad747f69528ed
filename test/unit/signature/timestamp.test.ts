// parseTimestamp (digits only, 1 to 15) and assertFresh (inclusive window, both directions).
import { describe, expect, it } from "vitest";
import { DeliveryRejectedError } from "../../../src/errors.js";
import { assertFresh, parseTimestamp } from "../../../src/signature/timestamp.js";

const malformed: unknown = expect.objectContaining({ code: "malformed_header" });
const stale: unknown = expect.objectContaining({ code: "timestamp_out_of_tolerance" });

describe("parseTimestamp", () => {
  it.each([
    ["1700000000", 1_700_000_000],
    ["0", 0],
    ["7", 7],
    ["0001700000000", 1_700_000_000],
    ["999999999999999", 999_999_999_999_999],
  ])("accepts %j", (text, expected) => {
    expect(parseTimestamp(text, "x-chatgpt-timestamp")).toBe(expected);
  });

  it.each([
    "",
    "-1700000000",
    "+1700000000",
    "1700000000.5",
    "1.7e9",
    "1e9",
    " 1700000000",
    "1700000000 ",
    "17000 00000",
    "0x6553f100",
    "1700000000s",
    "1000000000000000",
    "١٧٠٠٠٠٠٠٠٠",
    "NaN",
    "Infinity",
  ])("refuses %j as malformed_header", (text) => {
    expect(() => parseTimestamp(text, "webhook-timestamp")).toThrow(DeliveryRejectedError);
    expect(() => parseTimestamp(text, "webhook-timestamp")).toThrow(malformed);
  });
});

describe("assertFresh", () => {
  const T = 1_700_000_000;
  const nowMs = T * 1000;

  it("accepts the current second", () => {
    expect(() => assertFresh(T, nowMs, 300)).not.toThrow();
  });

  it("accepts exactly -tolerance and +tolerance (inclusive)", () => {
    expect(() => assertFresh(T - 300, nowMs, 300)).not.toThrow();
    expect(() => assertFresh(T + 300, nowMs, 300)).not.toThrow();
  });

  it("refuses one second past the window in the past", () => {
    expect(() => assertFresh(T - 301, nowMs, 300)).toThrow(DeliveryRejectedError);
    expect(() => assertFresh(T - 301, nowMs, 300)).toThrow(stale);
  });

  it("refuses one second past the window in the future", () => {
    expect(() => assertFresh(T + 301, nowMs, 300)).toThrow(stale);
  });

  it("uses the given tolerance, not a fixed one", () => {
    expect(() => assertFresh(T - 5, nowMs, 5)).not.toThrow();
    expect(() => assertFresh(T - 6, nowMs, 5)).toThrow(stale);
    expect(() => assertFresh(T + 6, nowMs, 5)).toThrow(stale);
    expect(() => assertFresh(T - 3000, nowMs, 3600)).not.toThrow();
  });

  it("refuses a millisecond timestamp", () => {
    expect(() => assertFresh(nowMs, nowMs, 300)).toThrow(stale);
  });

  it("refuses far-away timestamps", () => {
    expect(() => assertFresh(0, nowMs, 300)).toThrow(stale);
    expect(() => assertFresh(999_999_999_999_999, nowMs, 300)).toThrow(stale);
  });
});
