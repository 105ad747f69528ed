// `chatgpt-webhooks worker`: runs queue workers configured from env and `.env`, with no public listener.
import { loadServiceConfig } from "../config/env.js";
import { createLogger } from "../observability/logger.js";
import { startWorkers } from "../service/start-workers.js";
import { flagConfig, parseArgs, parseFlags } from "./parse-flags.js";
import { installProcessGuards } from "./process-guards.js";
import { runUntilSignal } from "./run-until-signal.js";
import { loadDotEnv } from "./serve-command.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const WORKER_HELP = `Usage: chatgpt-webhooks worker

Runs WORKER_CONCURRENCY queue workers (DISPATCH=queue) with the same configuration as serve
(env and ./.env), and no listener: receivers (serve with WORKER_CONCURRENCY=0) and workers
then scale apart. Stops on SIGTERM / SIGINT: running events get HANDLER_TIMEOUT_MS to finish.

Exit codes: 0 stopped cleanly, 1 invalid configuration or startup failure, 2 usage error.`;

/** Runs the worker command. */
export async function workerCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() => parseArgs(flagConfig(args, {})));
  if (values.help) return void console.log(WORKER_HELP), ExitCode.OK;
  if (positionals.length > 0) throw new UsageError(`worker takes no arguments (got "${positionals[0]}")`);
  loadDotEnv();
  const config = loadServiceConfig(process.env);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  installProcessGuards(logger);
  const workers = await startWorkers(config, logger);
  logger.info({ concurrency: config.workerConcurrency }, "queue workers running");
  return runUntilSignal(workers, logger);
}
