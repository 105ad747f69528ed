// `npm run bench`: micro-benchmark, cold-start counts and the load scenarios; markdown on stdout, JSON in bench/results/.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runColdStart, type ColdStartResult } from "./lib/cold-start.js";
import { startCountingProvider, type CountingProvider } from "./lib/counting-provider.js";
import { compareCells, formatComparisonTable } from "./lib/comparison-report.js";
import { formatLoadTable, ratiosOf } from "./lib/load-report.js";
import { countLoggedOutcomes } from "./lib/log-outcomes.js";
import { runLoadPart, type CellResult } from "./lib/load-part.js";
import { formatMachine, machineInfo } from "./lib/machine.js";
import { formatMicroTable, type MicroResult } from "./lib/micro-report.js";
import { readBenchOptions } from "./lib/options.js";
import { REPO_ROOT, RESULTS_DIR } from "./lib/paths.js";
import { LOAD_CORE, pinSelf } from "./lib/pinning.js";
import { COMPARISONS } from "./scenarios/comparisons.js";
import { ALWAYS_RUN, BASELINE_ID, OURS, SCENARIOS } from "./scenarios/index.js";
import type { ScenarioContext } from "./scenarios/scenario.js";

const log = (line: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

function runMicroChild(): MicroResult[] {
  const child = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/micro-verify.ts"), "--json"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (child.status !== 0) throw new Error(`micro-verify exited with ${child.status}`);
  return (JSON.parse(child.stdout) as { results: MicroResult[] }).results;
}

async function main(): Promise<void> {
  const options = readBenchOptions();
  const machine = machineInfo();
  pinSelf(LOAD_CORE);
  const workDir = mkdtempSync(join(tmpdir(), "bench-"));
  log(`work dir (server logs): ${workDir}`);

  let micro: MicroResult[] | undefined;
  if (options.parts.includes("micro")) {
    log("micro-benchmark of verify (pinned to the server core, nothing else running)");
    micro = runMicroChild();
  }
  let coldStart: ColdStartResult | undefined;
  if (options.parts.includes("cold")) {
    log(`cold start: ${options.coldDeliveries} concurrent deliveries against a fresh service with remote keys`);
    coldStart = await runColdStart(workDir, options.coldDeliveries);
  }

  let cells: CellResult[] = [];
  let provider: Promise<CountingProvider> | undefined;
  if (options.parts.includes("load")) {
    const scenarios = SCENARIOS.filter((s) => options.scenarios.length === 0 || options.scenarios.includes(s.id) || ALWAYS_RUN.includes(s.id));
    const context: ScenarioContext = {
      workDir,
      redisUrl: options.redisUrl,
      remoteProvider: () => (provider ??= startCountingProvider(join(workDir, "provider"))),
    };
    cells = await runLoadPart(scenarios, context, options, log);
  }
  if (provider !== undefined) await (await provider).close();
  const loggedOutcomes: Record<string, Record<string, number>> = {};
  for (const cell of cells) {
    if (cell.logFile !== undefined && OURS.includes(cell.scenario) && loggedOutcomes[cell.scenario] === undefined) {
      loggedOutcomes[cell.scenario] = await countLoggedOutcomes(cell.logFile);
    }
  }

  const comparisons = compareCells(cells, COMPARISONS, BASELINE_ID);
  const report = {
    machine,
    options,
    command: "npm run bench",
    micro,
    coldStart,
    loggedOutcomes,
    load: cells.map((cell) => ({ ...cell, ratios: ratiosOf(cell, cells, BASELINE_ID) })),
    comparisons,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `bench-${machine.date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const sections = [`## Benchmark run\n\n${formatMachine(machine)}`];
  sections.push(
    `Settings: warm-up ${options.warmupSeconds} s, ${options.rounds} interleaved rounds of ${options.roundSeconds} s, ` +
      `${options.connections} connections; medians of rounds.`,
  );
  if (cells.length > 0) sections.push(`### Load\n\n${formatLoadTable(cells, BASELINE_ID)}`);
  if (comparisons.length > 0) {
    const titles = new Map(SCENARIOS.map((scenario) => [scenario.id, scenario.title]));
    sections.push(`### Ratios to the references (same run, same size) and targets\n\n${formatComparisonTable(comparisons, titles)}`);
  }
  const unexpected = Object.entries(loggedOutcomes).filter(([, counts]) => Object.keys(counts).some((outcome) => outcome !== "processed"));
  if (Object.keys(loggedOutcomes).length > 0) {
    sections.push(
      `### Outcomes in the logs of our receivers (warm-up and rounds, both sizes)\n\n` +
        Object.entries(loggedOutcomes)
          .map(([scenario, counts]) => `- ${scenario}: ${JSON.stringify(counts)}`)
          .join("\n") +
        (unexpected.length > 0
          ? "\n\nWhere the load table shows no failure, outcomes other than `processed` were answered to requests " +
            "whose connections autocannon had already closed at the end of a run: it never saw them, the service logged them."
          : ""),
    );
  }
  if (micro !== undefined) sections.push(`### Verify micro-benchmark (ns per call, median of 7 rounds)\n\n${formatMicroTable(micro)}`);
  if (coldStart !== undefined) {
    const met = coldStart.tokenRequests === 1 && coldStart.keyRequests === 1;
    sections.push(
      `### Cold start\n\n${coldStart.deliveries} concurrent deliveries on cold caches: ` +
        `${coldStart.tokenRequests} token request(s), ${coldStart.keyRequests} key request(s) at the provider ` +
        `(service metrics: ${coldStart.metricsTokenRequests ?? "-"} / ${coldStart.metricsKeyFetches ?? "-"}); ` +
        `answers ${JSON.stringify(coldStart.statusCodes)} in ${coldStart.elapsedMs.toFixed(0)} ms; ` +
        `first key request ${coldStart.firstKeyRequestAfterFirstDeliveryMs?.toFixed(0) ?? "-"} ms after the first delivery. ` +
        `Target exactly 1 and 1: ${met ? "met" : "MISSED"}.`,
    );
  }
  sections.push(`JSON: ${file}`);
  console.log(sections.join("\n\n"));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
