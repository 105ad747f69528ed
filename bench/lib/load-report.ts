// The load part's markdown table: medians of rounds, ratios to the baseline of the same run, FAILED rows.
import { fixed, ratio, sizeLabel } from "./format.js";
import type { CellResult } from "./load-part.js";

/** Ratios of one cell to the baseline at the same size (both higher-is-better). */
export interface CellRatios {
  /** this req/s / baseline req/s. */
  readonly requestsPerSecond: number;
  /** baseline CPU per request / this CPU per request. */
  readonly cpuEfficiency: number;
}

/** The ratios of `cell` to the baseline cell of its size, when both measured cleanly. */
export function ratiosOf(cell: CellResult, cells: readonly CellResult[], baselineId: string): CellRatios | undefined {
  const baseline = cells.find((other) => other.scenario === baselineId && other.sizeBytes === cell.sizeBytes);
  if (cell.medians === undefined || baseline?.medians === undefined) return undefined;
  return {
    requestsPerSecond: cell.medians.requestsPerSecond / baseline.medians.requestsPerSecond,
    cpuEfficiency: baseline.medians.cpuMicrosPerRequest / cell.medians.cpuMicrosPerRequest,
  };
}

function percent(share: number | undefined): string {
  return share === undefined ? "-" : `${(share * 100).toFixed(0)}`;
}

/** The issue's throughput targets: scenario id -> minimum ratio on both measures. */
const TARGETS: Readonly<Record<string, number>> = { service: 0.85, "service-remote": 0.85, "service-redis": 0.75 };

/** Markdown table plus one line per target. */
export function formatLoadTable(cells: readonly CellResult[], baselineId: string): string {
  const header =
    "| scenario | body | req/s | p50 ms | p99 ms | server CPU us/req | req/s vs baseline | CPU/req vs baseline (baseline / this) | server / load-gen core % | result |";
  const rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |";
  const rows = cells.map((cell) => {
    const m = cell.medians;
    const r = ratiosOf(cell, cells, baselineId);
    const result = cell.status === "ok" ? "ok" : `${cell.status === "failed" ? "FAILED" : "skipped"}: ${cell.reason ?? ""}`;
    return `| ${cell.title} | ${sizeLabel(cell.sizeBytes)} | ${fixed(m?.requestsPerSecond)} | ${fixed(m?.p50Ms, 1)} | ${fixed(m?.p99Ms, 1)} | ${fixed(m?.cpuMicrosPerRequest)} | ${ratio(r?.requestsPerSecond)} | ${ratio(r?.cpuEfficiency)} | ${percent(m?.serverCoreShare)} / ${percent(m?.loadGenCoreShare)} | ${result} |`;
  });
  const targets = cells.flatMap((cell) => {
    const minimum = TARGETS[cell.scenario];
    if (minimum === undefined) return [];
    const r = ratiosOf(cell, cells, baselineId);
    const label = `- ${cell.scenario} ${sizeLabel(cell.sizeBytes)} (target >= ${minimum.toFixed(2)}x on both):`;
    if (r === undefined) return [`${label} not measured (${cell.status}${cell.reason === undefined ? "" : `: ${cell.reason}`})`];
    const met = r.requestsPerSecond >= minimum && r.cpuEfficiency >= minimum;
    return [`${label} req/s ${ratio(r.requestsPerSecond)}, CPU ${ratio(r.cpuEfficiency)}: ${met ? "met" : "MISSED"}`];
  });
  return [header, rule, ...rows, "", ...targets].join("\n");
}
