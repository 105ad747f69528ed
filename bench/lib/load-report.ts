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

/** Markdown table (the targets are in the comparison table: bench/scenarios/comparisons.ts). */
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
  return [header, rule, ...rows].join("\n");
}
