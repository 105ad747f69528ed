// The load part of `npm run bench`: start every scenario, warm each up, then interleaved rounds (A B C A B C).
import type { Scenario, ScenarioContext, Target } from "../scenarios/scenario.js";
import { createEventFactory, type EventFactory } from "./event-factory.js";
import { roundIsClean, runLoad, type RoundResult } from "./load-round.js";
import type { BenchOptions } from "./options.js";
import { median } from "./stats.js";

/** The medians over rounds of one scenario at one body size (the same figures as one round). */
export type CellMedians = Pick<
  RoundResult,
  "requestsPerSecond" | "p50Ms" | "p99Ms" | "cpuMicrosPerRequest" | "serverCoreShare" | "loadGenCoreShare"
>;

/** One scenario at one body size. */
export interface CellResult {
  readonly scenario: string;
  readonly title: string;
  readonly sizeBytes: number;
  /** `failed`: some answer was not a clean 2xx (or the server died); `skipped`: could not run here. */
  readonly status: "ok" | "failed" | "skipped";
  readonly reason?: string;
  readonly warmup?: RoundResult;
  readonly rounds: readonly RoundResult[];
  readonly medians?: CellMedians;
  readonly logFile?: string;
}

function describeFailure(rounds: readonly RoundResult[]): string {
  const codes: Record<string, number> = {};
  let errors = 0;
  let unexpected = 0;
  for (const round of rounds) {
    errors += round.errors;
    unexpected += round.unexpectedBodies;
    for (const [code, count] of Object.entries(round.statusCodes)) if (!code.startsWith("2")) codes[code] = (codes[code] ?? 0) + count;
  }
  const parts = Object.entries(codes).map(([code, count]) => `${count} x ${code}`);
  if (errors > 0) parts.push(`${errors} socket errors/timeouts`);
  if (unexpected > 0) parts.push(`${unexpected} 2xx without the expected body`);
  return parts.join(", ") || "no responses";
}

function summarize(scenario: Scenario, sizeBytes: number, target: Target, warmup: RoundResult, rounds: RoundResult[], died: boolean): CellResult {
  const base = { scenario: scenario.id, title: scenario.title, sizeBytes, warmup, rounds, logFile: target.logFile };
  const all = [warmup, ...rounds];
  if (died) return { ...base, status: "failed", reason: `server process exited (${describeFailure(all)})` };
  if (!all.every(roundIsClean)) return { ...base, status: "failed", reason: describeFailure(all) };
  return {
    ...base,
    status: "ok",
    medians: {
      requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
      p50Ms: median(rounds.map((round) => round.p50Ms)),
      p99Ms: median(rounds.map((round) => round.p99Ms)),
      cpuMicrosPerRequest: median(rounds.map((round) => round.cpuMicrosPerRequest)),
      serverCoreShare: median(rounds.map((round) => round.serverCoreShare)),
      loadGenCoreShare: median(rounds.map((round) => round.loadGenCoreShare)),
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs the load part; `log` gets one progress line per step (stderr). */
export async function runLoadPart(
  scenarios: readonly Scenario[],
  context: ScenarioContext,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<CellResult[]> {
  const targets = new Map<string, Target>();
  const results: CellResult[] = [];
  try {
    for (const scenario of scenarios) {
      log(`starting ${scenario.id}`);
      const outcome = await scenario.start(context).catch((error: unknown) => ({ failed: error instanceof Error ? error.message : String(error) }));
      if ("target" in outcome) targets.set(scenario.id, outcome.target);
      else {
        const status = "skipped" in outcome ? "skipped" : "failed";
        const reason = "skipped" in outcome ? outcome.skipped : outcome.failed;
        log(`${scenario.id}: ${status}: ${reason}`);
        for (const sizeBytes of options.sizes) results.push({ scenario: scenario.id, title: scenario.title, sizeBytes, status, reason, rounds: [] });
      }
    }
    const running = scenarios.filter((scenario) => targets.has(scenario.id));
    const factories = new Map<number, EventFactory>(options.sizes.map((size) => [size, createEventFactory(size)]));
    const load = (scenario: Scenario, size: number, seconds: number): Promise<RoundResult> =>
      runLoad({ target: targets.get(scenario.id) as Target, events: factories.get(size) as EventFactory, connections: options.connections, seconds });

    const warmups = new Map<string, RoundResult>();
    const rounds = new Map<string, RoundResult[]>();
    const key = (scenario: Scenario, size: number): string => `${scenario.id}@${size}`;
    for (const size of options.sizes) {
      for (const scenario of running) {
        log(`warm-up ${scenario.id} ${size} B (${options.warmupSeconds} s)`);
        warmups.set(key(scenario, size), await load(scenario, size, options.warmupSeconds));
        rounds.set(key(scenario, size), []);
      }
    }
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const size of options.sizes) {
        for (const scenario of running) {
          if (!alive((targets.get(scenario.id) as Target).pid)) continue;
          const result = await load(scenario, size, options.roundSeconds);
          log(`round ${round}/${options.rounds} ${scenario.id} ${size} B: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuMicrosPerRequest.toFixed(0)} us/req, server ${(result.serverCoreShare * 100).toFixed(0)}% / load-gen ${(result.loadGenCoreShare * 100).toFixed(0)}% of a core, non-2xx ${result.non2xx}`);
          rounds.get(key(scenario, size))?.push(result);
        }
      }
    }
    for (const scenario of running) {
      const target = targets.get(scenario.id) as Target;
      const died = !alive(target.pid);
      for (const size of options.sizes) {
        results.push(summarize(scenario, size, target, warmups.get(key(scenario, size)) as RoundResult, rounds.get(key(scenario, size)) ?? [], died));
      }
    }
  } finally {
    await Promise.all([...targets.values()].map((target) => target.stop()));
  }
  const order = (result: CellResult): number => options.sizes.indexOf(result.sizeBytes) * 100 + scenarios.findIndex((s) => s.id === result.scenario);
  return results.sort((a, b) => order(a) - order(b));
}
