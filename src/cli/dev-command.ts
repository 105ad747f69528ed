// `chatgpt-webhooks dev`: the receiver plus an embedded local provider (oidc-provider + key endpoint),
// wired through the real remote-key flow, with credentials kept in a git-ignored state folder.
import { loadServiceConfig, type ServiceConfig } from "../config/env.js";
import { ConfigError } from "../errors.js";
import { createDevState, DEFAULT_STATE_DIR, readDevState, writeDevState } from "../dev/dev-state.js";
import { localProviderEnv, startLocalProvider } from "../dev/local-provider.js";
import { DEV_TOKEN_HEADER } from "../dev/rotate-guard.js";
import { createInspector } from "../dev/inspector/create-inspector.js";
import { chooseLogFormat, createLogger, stdoutDestination } from "../observability/logger.js";
import { createRedisConnection, redactRedisUrl } from "../redis/redis-connection.js";
import { startService } from "../service/start-service.js";
import { flagConfig, integerFlag, parseArgs, parseFlags } from "./parse-flags.js";
import { installProcessGuards } from "./process-guards.js";
import { runUntilSignal } from "./run-until-signal.js";
import { shellQuote } from "./shell-quote.js";
import { ExitCode, UsageError } from "./usage-error.js";

/** The local Redis of `dev --queue`, unless REPLAY_STORE names another. */
const DEV_REDIS_URL = "redis://127.0.0.1:6379";
const DEV_KEY_PREFIX = "cwr-dev:";

export const DEV_HELP = `Usage: chatgpt-webhooks dev [--port P] [--handlers PATH] [--state-dir DIR] [--queue]

Starts, in one process, the receiver and a local provider: a real OAuth 2 authorization server
(client credentials, JWT access tokens) and the key endpoint that serves the signing key to
tokens with the webhooks:verify scope. The receiver gets its key through that flow, as in
production. Credentials and keys are generated once and kept in DIR (git-ignored).
It also serves the inspector page (every delivery, live, with replay) at /_inspector/ on the
receiver's port: open the URL it prints, which carries the dev token.

  --port P          receiver port (default 8080; 0 picks a free one); the provider takes a free port
  --handlers PATH   module whose default export registers handlers (default: log each event)
  --state-dir DIR   where credentials and keys are kept (default ${DEFAULT_STATE_DIR})
  --queue           queue mode (DISPATCH=queue) on the local Redis (REPLAY_STORE, default
                    ${DEV_REDIS_URL}, keys under ${DEV_KEY_PREFIX}), with workers in the same process

Environment variables of "serve" apply (WEBHOOK_SCHEME, HANDLER_TIMEOUT_MS, ...), except the key
settings, which point at the local provider. Log lines are human-readable when stdout is a
terminal, JSON otherwise; LOG_FORMAT=json or pretty chooses. Rate limits default to 6000/min and no failure
limit, and forced key refreshes are not rate-limited (WEBHOOK_KEY_REFRESH_MIN_SECONDS=0), so
replaying tampered events neither locks you out nor delays a key rotation; set them to watch
429s and refresh limits.

Exit codes: 0 stopped cleanly, 1 startup failure, 2 usage error.`;

/**
 * The env of queue mode for dev, after checking that its Redis answers.
 * @throws ConfigError (`REPLAY_STORE`) saying what to do when no Redis answers
 */
async function devQueueEnv(): Promise<Record<string, string>> {
  const url = process.env.REPLAY_STORE?.startsWith("redis") === true ? process.env.REPLAY_STORE : DEV_REDIS_URL;
  const connection = createRedisConnection({ url });
  const ready = await connection.waitUntilReady(2_000);
  await connection.close();
  if (!ready) {
    throw new ConfigError("REPLAY_STORE", `dev --queue needs Redis at ${redactRedisUrl(url)}: start one (redis-server) or set REPLAY_STORE to a redis:// URL`);
  }
  return { DISPATCH: "queue", REPLAY_STORE: url, REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX ?? DEV_KEY_PREFIX };
}

/** A Redis URL to print in a command: with a password, the variable it came from instead. */
function shownStoreUrl(url: string): string {
  return redactRedisUrl(url) === url ? shellQuote(url) : '"$REPLAY_STORE"';
}

/**
 * The service configuration of dev, read once its provider runs (the key settings point at it);
 * a bad value closes the provider first, so the process ends with the one error line.
 * @throws ConfigError naming the variable
 */
async function loadDevConfig(provider: { close(): Promise<void> }, env: Record<string, string | undefined>): Promise<ServiceConfig> {
  try {
    return loadServiceConfig(env);
  } catch (error) {
    await provider.close();
    throw error;
  }
}

/** Runs the dev command. */
export async function devCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs(
      flagConfig(args, { port: { type: "string" }, handlers: { type: "string" }, "state-dir": { type: "string" }, queue: { type: "boolean", default: false } }),
    ),
  );
  if (values.help) return void console.log(DEV_HELP), ExitCode.OK;
  if (positionals.length > 0) throw new UsageError(`dev takes no arguments (got "${positionals[0]}")`);
  const port = integerFlag("port", values.port, 0, 65_535) ?? 8080;
  const stateDir = values["state-dir"] ?? DEFAULT_STATE_DIR;

  const queue = values.queue ? await devQueueEnv() : {};
  const state = (await readDevState(stateDir)) ?? createDevState();
  const provider = await startLocalProvider({ state, stateDir });
  const config = await loadDevConfig(provider, {
    RATE_LIMIT_PER_MINUTE: "6000",
    RATE_LIMIT_FAILURES_PER_MINUTE: "0",
    WEBHOOK_KEY_REFRESH_MIN_SECONDS: "0",
    ...process.env,
    ...queue,
    HOST: "127.0.0.1",
    PORT: String(port),
    HANDLERS: values.handlers,
    ...localProviderEnv(provider),
  });
  const late: { url: string; warn: (error: unknown) => void } = { url: "", warn: () => undefined };
  const inspector = await createInspector({
    stateDir,
    devToken: state.devToken,
    target: { webhookUrl: () => late.url, scheme: config.scheme, secret: () => provider.state().keys[0]?.secret ?? "" },
    onSaveError: (error) => late.warn(error),
  });
  // JSON lines to the inspector; on the console readable lines for a person at a terminal, JSON
  // for a pipe (README, "Operations").
  const consoleFormat = chooseLogFormat(config.logFormat, true, process.stdout.isTTY === true);
  const logger = createLogger({ level: config.logLevel, destination: inspector.teeLogs(stdoutDestination(consoleFormat)) });
  late.warn = (error) => logger.warn({ err: error }, "inspector: deliveries could not be saved");
  installProcessGuards(logger);
  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config, logger, {
      register: (receiver) => {
        if (values.handlers !== undefined) return;
        receiver.on("*", (_event, context) => context.logger.info("dev handler received an event"));
      },
      observer: inspector.observer,
      extraRoutes: inspector.routes,
    });
  } catch (error) {
    // Nothing may keep the process up after a failed start (the provider listens already).
    await Promise.all([provider.close(), inspector.close()]);
    logger.flush();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new Error(`port ${port} is in use on 127.0.0.1: stop what listens there, or pass --port`, { cause: error });
    throw error;
  }
  const webhookUrl = `${service.url}${config.path}`;
  late.url = webhookUrl;
  await writeDevState(stateDir, {
    ...provider.state(),
    endpoints: {
      webhookUrl,
      scheme: config.scheme,
      tokenEndpoint: provider.tokenEndpoint,
      keyUrl: provider.keyUrl,
      resource: provider.resource,
      rotateUrl: provider.rotateUrl,
    },
  });
  const stateFlag = values["state-dir"] === undefined ? "" : ` --state-dir ${shellQuote(stateDir)}`;
  console.log(`
chatgpt-webhook-receiver dev stack
  webhook URL     ${webhookUrl}   (scheme ${config.scheme}${config.dispatch.kind === "queue" ? ", queue mode: answers 202 queued" : ""})
  token endpoint  ${provider.tokenEndpoint}   (client credentials)
  key endpoint    ${provider.keyUrl}
  client id       ${state.clientId}   (secret, keys and dev token in ${stateDir}/, git-ignored)
  inspector       ${inspector.url(service.url)}   (every delivery, live; the dev token is in the fragment)

Fire every fixture, signed with the provider's current key:
  npm run replay -- fixtures/${stateFlag}

Watch duplicates, forgeries and stale events:
  npm run replay -- fixtures/response.completed.json --repeat 3${stateFlag}
  npm run replay -- fixtures/batch.completed.json --tamper --expect 401${stateFlag}
  npm run replay -- fixtures/batch.completed.json --timestamp-offset -600 --expect 401${stateFlag}

Send a new event of any type (trigger --list shows them):
  npm run trigger -- batch.completed --set data.id=batch_123${stateFlag}

Rotate the signing key (the receiver picks the new one up on the next delivery):
  curl -X POST -H ${shellQuote(`${DEV_TOKEN_HEADER}: ${provider.state().devToken}`)} ${provider.rotateUrl}
${config.dispatch.kind === "queue" ? `
The queue's dead letters and counts (events reads the same Redis and key prefix):
  REPLAY_STORE=${shownStoreUrl(queue.REPLAY_STORE ?? "")} REDIS_KEY_PREFIX=${shellQuote(queue.REDIS_KEY_PREFIX ?? "")} npm run events -- stats
` : ""}`);
  return runUntilSignal(service, logger, async () => {
    await Promise.all([provider.close(), inspector.close()]);
  });
}
