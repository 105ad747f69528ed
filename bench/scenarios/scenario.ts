// What a load scenario is: a server to start, the signer its requests need, and what a good answer looks like.
import type { CountingProvider } from "../lib/counting-provider.js";
import type { Signer } from "../lib/signers.js";

/** Shared resources of one benchmark run. */
export interface ScenarioContext {
  /** A temporary folder for logs, working directories and provider state. */
  readonly workDir: string;
  readonly redisUrl: string;
  /** The local provider, started on first use and shared. */
  remoteProvider(): Promise<CountingProvider>;
}

/** A running server under test. */
export interface Target {
  /** The full URL requests are POSTed to. */
  readonly url: string;
  /** The server process (CPU time is read from it). */
  readonly pid: number;
  readonly signer: Signer;
  /** When set, every 2xx body must contain it (e.g. `"processed"`: not a duplicate). */
  readonly expectInBody?: string;
  /** The server's stdout (its log lines). */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** A started target, or why the scenario cannot run here. */
export type StartOutcome = { readonly target: Target } | { readonly skipped: string };

/** One scenario of the list. */
export interface Scenario {
  /** Short id, used by BENCH_SCENARIOS and in the JSON. */
  readonly id: string;
  /** Table label. */
  readonly title: string;
  start(context: ScenarioContext): Promise<StartOutcome>;
}
