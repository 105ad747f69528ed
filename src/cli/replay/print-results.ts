// Printing replay results: one aligned row per delivery and a summary, or one JSON array.
import type { DeliveryRow } from "./send-delivery.js";

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + " ".repeat(width - value.length);
}

/** The table of rows, headed, columns aligned. */
export function formatTable(rows: readonly DeliveryRow[]): string {
  const header = { type: "TYPE", id: "ID", status: "STATUS", outcome: "OUTCOME", ms: "MS" };
  const cells = [header, ...rows.map((row) => ({ ...row, status: String(row.status), ms: String(row.ms) }))];
  const width = (key: keyof typeof header): number => Math.max(...cells.map((cell) => cell[key].length));
  const widths = { type: width("type"), id: width("id"), status: width("status"), outcome: width("outcome") };
  return cells
    .map((cell) =>
      [pad(cell.type, widths.type), pad(cell.id, widths.id), pad(cell.status, widths.status), pad(cell.outcome, widths.outcome), cell.ms].join("  "),
    )
    .join("\n");
}

/** One line: how many deliveries, by outcome, how many missed the expected status, total time. */
export function formatSummary(rows: readonly DeliveryRow[], expected: readonly number[], elapsedMs: number): string {
  const byOutcome = new Map<string, number>();
  for (const row of rows) byOutcome.set(row.outcome, (byOutcome.get(row.outcome) ?? 0) + 1);
  const outcomes = [...byOutcome].map(([outcome, count]) => `${count} ${outcome}`).join(", ");
  const unexpected = rows.filter((row) => !expected.includes(row.status)).length;
  const seen = [...new Set(rows.map((row) => row.status))].join(" / ");
  const verdict = unexpected === 0 ? `all answered ${seen}` : `${unexpected} not answered ${expected.join(" or ")}`;
  return `${rows.length} ${rows.length === 1 ? "delivery" : "deliveries"} in ${Math.round(elapsedMs)} ms: ${outcomes}; ${verdict}`;
}

/** The machine-readable form of `--json`. */
export function formatJson(rows: readonly DeliveryRow[]): string {
  return JSON.stringify(rows.map(({ type, id, status, outcome, ms }) => ({ type, id, status, outcome, ms })));
}
