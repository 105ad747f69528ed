// `chatgpt-webhooks serve`: the production service, configured from env and `.env`.
import { existsSync } from "node:fs";
import { loadServiceConfig } from "../config/env.js";
import { createLogger } from "../observability/logger.js";
import { startService } from "../service/start-service.js";
import { flagConfig, parseArgs, parseFlags } from "./parse-flags.js";
import { installProcessGuards } from "./process-guards.js";
import { runUntilSignal } from "./run-until-signal.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const SERVE_HELP = `Usage: chatgpt-webhooks serve

Runs the receiver configured from environment variables (and ./.env if present; variables
already set win). See .env.example for every variable. Stops gracefully on SIGTERM / SIGINT.

Exit codes: 0 stopped cleanly, 1 invalid configuration or startup failure, 2 usage error.`;

/** Loads `./.env` when it exists; variables already in the environment are kept. */
export function loadDotEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
}

/** Runs the serve command. */
export async function serveCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() => parseArgs(flagConfig(args, {})));
  if (values.help) return void console.log(SERVE_HELP), ExitCode.OK;
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${positionals[0]}")`);
  loadDotEnv();
  const config = loadServiceConfig(process.env);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  installProcessGuards(logger);
  const service = await startService(config, logger);
  logger.info({ url: `${service.url}${config.path}`, scheme: config.scheme, ops_url: service.opsUrl }, "receiver listening");
  return runUntilSignal(service, logger);
}
