// Ratios of a scenario to a chosen reference of the same run and size (not only the baseline), with pass/miss per target.
import { ratio, sizeLabel } from "./format.js";
import { ratiosOf, type CellRatios } from "./load-report.js";
import type { CellResult } from "./load-part.js";

/** A minimum ratio a comparison must reach. */
export interface ComparisonTarget {
  readonly minimum: number;
  /** `both`: req/s and CPU per request; `cpu`: CPU per request only. */
  readonly on: "both" | "cpu";
  /** Body sizes the target applies to; all sizes when absent. */
  readonly sizes?: readonly number[];
}

/** One scenario measured against one reference scenario. */
export interface Comparison {
  readonly scenario: string;
  readonly reference: string;
  readonly target?: ComparisonTarget;
}

/** One row of the comparison table (also written to the JSON). */
export interface ComparisonRow {
  readonly scenario: string;
  readonly reference: string;
  readonly sizeBytes: number;
  readonly ratios: CellRatios | undefined;
  readonly baselineRatios: CellRatios | undefined;
  /**
   * CPU ratio of each round, reference / this, paired by round (both ran in the same round of
   * the rotation): its spread shows how much the machine moved during the run. Empty unless
   * both cells are `ok`. The verdict is on the ratio of the medians, not on these.
   */
  readonly cpuEfficiencyPerRound: readonly number[];
  readonly target: ComparisonTarget | undefined;
  /** undefined: no target at this size, or not measured. */
  readonly met: boolean | undefined;
}

function targetAt(comparison: Comparison, sizeBytes: number): ComparisonTarget | undefined {
  const target = comparison.target;
  return target !== undefined && (target.sizes === undefined || target.sizes.includes(sizeBytes)) ? target : undefined;
}

/** The rows of every comparison whose scenario ran, at every size it ran. */
export function compareCells(cells: readonly CellResult[], comparisons: readonly Comparison[], baselineId: string): ComparisonRow[] {
  return comparisons.flatMap((comparison) =>
    cells
      .filter((cell) => cell.scenario === comparison.scenario && cells.some((other) => other.scenario === comparison.reference))
      .map((cell) => {
        const ratios = ratiosOf(cell, cells, comparison.reference);
        const target = targetAt(comparison, cell.sizeBytes);
        const met =
          target === undefined || ratios === undefined
            ? undefined
            : ratios.cpuEfficiency >= target.minimum && (target.on === "cpu" || ratios.requestsPerSecond >= target.minimum);
        const reference = cells.find((other) => other.scenario === comparison.reference && other.sizeBytes === cell.sizeBytes);
        const measured = cell.status === "ok" && reference?.status === "ok";
        const cpuEfficiencyPerRound = measured
          ? cell.rounds.flatMap((round, i) => {
              const paired = reference.rounds[i];
              const value = paired === undefined ? Number.NaN : paired.cpuMicrosPerRequest / round.cpuMicrosPerRequest;
              return Number.isFinite(value) ? [value] : [];
            })
          : [];
        return { ...comparison, sizeBytes: cell.sizeBytes, ratios, baselineRatios: ratiosOf(cell, cells, baselineId), cpuEfficiencyPerRound, target, met };
      }),
  );
}

function verdict(row: ComparisonRow): string {
  if (row.target === undefined) return "-";
  const goal = `>= ${row.target.minimum.toFixed(2)}x ${row.target.on === "cpu" ? "CPU" : "both"}`;
  return `${goal}: ${row.met === undefined ? "not measured" : row.met ? "met" : "MISSED"}`;
}

function perRound(values: readonly number[]): string {
  return values.length === 0 ? "-" : values.map((value) => value.toFixed(2)).join(" ");
}

/** Markdown table; `titles` maps scenario ids to table labels. */
export function formatComparisonTable(rows: readonly ComparisonRow[], titles: ReadonlyMap<string, string>): string {
  const header =
    "| scenario | body | reference | req/s vs reference | CPU/req vs reference (reference / this) | CPU/req vs reference, each round | req/s / CPU vs bare Express | target |";
  const rule = "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |";
  const lines = rows.map((row) => {
    const base = row.baselineRatios;
    return `| ${titles.get(row.scenario) ?? row.scenario} | ${sizeLabel(row.sizeBytes)} | ${titles.get(row.reference) ?? row.reference} | ${ratio(row.ratios?.requestsPerSecond)} | ${ratio(row.ratios?.cpuEfficiency)} | ${perRound(row.cpuEfficiencyPerRound)} | ${ratio(base?.requestsPerSecond)} / ${ratio(base?.cpuEfficiency)} | ${verdict(row)} |`;
  });
  return [header, rule, ...lines].join("\n");
}
