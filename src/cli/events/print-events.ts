// Printing the `events` commands' answers: aligned tables for people, JSON for scripts.
import type { EventDetails, FailedEvent, QueueStats } from "../../queue/queue-admin.js";

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? "").length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join("  ")).join("\n");
}

/** `events failed`: one row per dead letter, its last error on one line. */
export function formatFailed(events: readonly FailedEvent[]): string {
  if (events.length === 0) return "no dead-lettered events";
  const rows = events.map((event) => [event.id, event.type, String(event.attempts), event.failedAt ?? "-", event.lastError.split("\n")[0] ?? ""]);
  return `${table(["ID", "TYPE", "ATTEMPTS", "FAILED AT", "LAST ERROR"], rows)}\n\n${events.length} dead-lettered ${events.length === 1 ? "event" : "events"}`;
}

/** `events show`: the event's facts, each attempt's error, then its payload. */
export function formatDetails(event: EventDetails): string {
  const errors = event.errors.map((error, index) => `--- attempt ${index + 1}\n${error}`);
  return [
    `id:         ${event.id}`,
    `job:        ${event.job}`,
    `type:       ${event.type}`,
    `state:      ${event.state}`,
    `attempts:   ${event.attempts}`,
    `queued at:  ${event.queuedAt}`,
    `failed at:  ${event.failedAt ?? "-"}`,
    `last error: ${event.lastError === "" ? "-" : event.lastError}`,
    "",
    `errors (${event.errors.length}):`,
    ...errors,
    "",
    "payload:",
    JSON.stringify(event.payload, null, 2),
  ].join("\n");
}

/** `events stats`: one `state count` line per state. */
export function formatStats(stats: QueueStats): string {
  return table(["STATE", "COUNT"], Object.entries(stats).map(([state, count]) => [state === "failed" ? "failed (dead letters)" : state, String(count)]));
}
