// A pino destination that hands the log lines about an event (they carry `event_id`) to the inspector's store.
import { Writable } from "node:stream";
import type { InspectedLogLine } from "./inspected-delivery.js";

/** The outcome recorder's own lines: the inspector shows their content as the delivery itself. */
const OUTCOME_LINES = new Set(["delivery", "delivery rejected", "delivery failed"]);
/** Fields every line has, not worth repeating per line. */
const DROPPED = new Set(["level", "time", "msg", "pid", "hostname", "service", "event_id", "event_type"]);

/** Parses one pino JSON line into an event id and an inspector line, or `undefined` when it is about no event. */
export function toLogLine(text: string): { eventId: string; line: InspectedLogLine } | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const eventId = parsed.event_id;
  const msg = typeof parsed.msg === "string" ? parsed.msg : "";
  if (typeof eventId !== "string" || OUTCOME_LINES.has(msg)) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed)) if (!DROPPED.has(name)) fields[name] = value;
  return {
    eventId,
    line: { time: typeof parsed.time === "number" ? parsed.time : Date.now(), level: typeof parsed.level === "number" ? parsed.level : 30, msg, fields },
  };
}

/**
 * A stream for `pino.multistream` beside the console: each line about an event goes to `add`.
 * Lines are already redacted by the logger, as on the console.
 */
export function createLogSink(add: (eventId: string, line: InspectedLogLine) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const text of chunk.toString().split("\n")) {
        if (text === "") continue;
        const parsed = toLogLine(text);
        if (parsed !== undefined) add(parsed.eventId, parsed.line);
      }
      callback();
    },
  });
}
