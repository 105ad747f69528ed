// Starting our service from dist exactly as `npm start` does, with bench env, as a scenario target.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Target } from "../scenarios/scenario.js";
import { freePort } from "./free-port.js";
import { DIST_CLI, NOOP_HANDLERS } from "./paths.js";
import { startServerProcess } from "./server-process.js";
import type { Signer } from "./signers.js";

const WEBHOOK_PATH = "/webhooks/chatgpt";

/**
 * The production settings the benchmark runs with: chatgpt scheme, memory store, pino at info
 * (one line per delivery, to a file), the no-op handler. The general rate limit is raised so
 * the load is not refused (the limiter still runs); the failure limiter keeps its default.
 */
export function serviceEnv(port: number, overrides: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOST: "127.0.0.1",
    PORT: String(port),
    WEBHOOK_PATH,
    WEBHOOK_SCHEME: "chatgpt",
    REPLAY_STORE: "memory",
    REPLAY_MAX_ENTRIES: "100000",
    HANDLERS: NOOP_HANDLERS,
    RATE_LIMIT_PER_MINUTE: "100000000",
    RATE_LIMIT_FAILURES_PER_MINUTE: "30",
    LOG_LEVEL: "info",
    ...overrides,
  };
}

/**
 * Runs `node dist/cli/main.js serve` in its own working directory under `workDir` (so a
 * developer's `.env` cannot change the measured configuration) and waits for `readyPath` to answer 200
 * (`/readyz`: keys loaded and store reachable; `/healthz`: merely listening).
 */
export async function startServiceTarget(
  workDir: string,
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  signer: Signer,
  readyPath = "/readyz",
  pollMs = 100,
): Promise<Target> {
  const port = await freePort();
  const cwd = join(workDir, name);
  mkdirSync(cwd, { recursive: true });
  const server = await startServerProcess({
    name,
    command: process.execPath,
    args: [DIST_CLI, "serve"],
    env: serviceEnv(port, env),
    cwd,
    logFile: join(workDir, `${name}.log`),
    readyUrl: `http://127.0.0.1:${port}${readyPath}`,
    pollMs,
  });
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    pid: server.pid,
    signer,
    expectInBody: '"processed"',
    logFile: server.logFile,
    stop: () => server.stop(),
  };
}
