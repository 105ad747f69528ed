// The inspector's log sink: pino lines about an event become that event's lines; others are left out.
import { describe, expect, it } from "vitest";
import pino from "pino";
import type { InspectedLogLine } from "../../../../src/dev/inspector/inspected-delivery.js";
import { createLogSink, toLogLine } from "../../../../src/dev/inspector/log-sink.js";

describe("toLogLine", () => {
  it("keeps a line with an event id, without the fields every line has", () => {
    const parsed = toLogLine(JSON.stringify({ level: 30, time: 5, pid: 1, hostname: "h", service: "s", event_id: "evt_1", event_type: "t", msg: "hello", order: 7 }));
    expect(parsed).toEqual({ eventId: "evt_1", line: { time: 5, level: 30, msg: "hello", fields: { order: 7 } } });
  });

  it("leaves out lines about no event, the outcome lines, and text that is not JSON", () => {
    expect(toLogLine(JSON.stringify({ level: 30, msg: "listening" }))).toBeUndefined();
    expect(toLogLine(JSON.stringify({ level: 30, msg: "delivery", event_id: "evt_1", outcome: "processed" }))).toBeUndefined();
    expect(toLogLine("not json")).toBeUndefined();
  });
});

describe("createLogSink", () => {
  it("receives a real pino logger's redacted lines", async () => {
    const seen: Array<[string, InspectedLogLine]> = [];
    const sink = createLogSink((eventId, line) => seen.push([eventId, line]));
    const logger = pino({ redact: { paths: ["token"], censor: "[redacted]" } }, sink);
    logger.child({ event_id: "evt_9", event_type: "batch.completed" }).info({ token: "secret-value" }, "from a handler");
    logger.info("about nothing");
    await new Promise<void>((resolve) => sink.end(resolve));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toBe("evt_9");
    expect(seen[0]?.[1]).toMatchObject({ msg: "from a handler", fields: { token: "[redacted]" } });
  });
});
