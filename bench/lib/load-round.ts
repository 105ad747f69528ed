// One measured autocannon run against a target: fresh signed events, every answer checked, server CPU per request.
import autocannon from "autocannon";
import type { Target } from "../scenarios/scenario.js";
import type { EventFactory } from "./event-factory.js";
import { cpuMicros } from "./proc-stat.js";

/** What one run measured. */
export interface RoundResult {
  /** Responses received (2xx and others). */
  readonly responses: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Latency percentiles, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server process CPU time (user + system) over the run divided by responses. */
  readonly cpuMicrosPerRequest: number;
  /** Share of one core the server used (1 = saturated: the server is the bottleneck). */
  readonly serverCoreShare: number;
  /** Share of one core this load generator used (near 1: the generator limits req/s). */
  readonly loadGenCoreShare: number;
  readonly non2xx: number;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** 2xx answers whose body lacked the expected marker (e.g. `"duplicate"` instead of `"processed"`). */
  readonly unexpectedBodies: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

/** How to load a target. */
export interface LoadSpec {
  readonly target: Target;
  readonly events: EventFactory;
  readonly connections: number;
  /** Run for this long... */
  readonly seconds?: number;
  /** ...or send exactly this many requests. */
  readonly amount?: number;
}

/** Runs the load and reads the server's CPU time before and after. */
export async function runLoad(spec: LoadSpec): Promise<RoundResult> {
  const { target, events } = spec;
  const url = new URL(target.url);
  let unexpectedBodies = 0;
  const marker = target.expectInBody;
  const cpuBefore = cpuMicros(target.pid);
  const genBefore = process.cpuUsage();
  const result = await autocannon({
    url: url.origin,
    connections: spec.connections,
    pipelining: 1,
    timeout: 10,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.seconds ?? 10 }),
    requests: [
      {
        method: "POST",
        path: url.pathname,
        setupRequest: (request) => {
          const event = events();
          return { ...request, headers: target.signer(event.body, event.id), body: event.body };
        },
        ...(marker === undefined
          ? {}
          : {
              onResponse: (status: number, body: string) => {
                if (status >= 200 && status < 300 && !String(body).includes(marker)) unexpectedBodies += 1;
              },
            }),
      },
    ],
  });
  const cpu = cpuMicros(target.pid) - cpuBefore;
  const gen = process.cpuUsage(genBefore);
  const responses = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats)) statusCodes[code] = stats.count;
  return {
    responses,
    seconds: result.duration,
    requestsPerSecond: responses / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: responses === 0 ? Number.NaN : cpu / responses,
    serverCoreShare: cpu / (result.duration * 1_000_000),
    loadGenCoreShare: (gen.user + gen.system) / (result.duration * 1_000_000),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    unexpectedBodies,
    statusCodes,
  };
}

/** Whether every answer of the run was a 2xx with the expected body, and no request failed. */
export function roundIsClean(round: RoundResult): boolean {
  return round.non2xx === 0 && round.errors === 0 && round.unexpectedBodies === 0 && round.responses > 0;
}
