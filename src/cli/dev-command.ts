// `chatgpt-webhooks dev`: a local receiver with a generated secret, printing a request to paste.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadServiceConfig } from "../config/env.js";
import { createLogger } from "../observability/logger.js";
import { startService } from "../service/start-service.js";
import { sign } from "../signature/sign-and-verify.js";
import { flagConfig, integerFlag, parseArgs, parseFlags } from "./parse-flags.js";
import { runUntilSignal } from "./run-until-signal.js";
import { curlCommand, shellQuote } from "./shell-quote.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const DEV_HELP = `Usage: chatgpt-webhooks dev [--port P] [--handlers PATH]

Starts the receiver on 127.0.0.1 with a freshly generated secret (chatgpt scheme), logs every
delivery, and prints a signed curl request you can paste, plus the sign command for any body.

  --port P          port to listen on (default 8080; 0 picks a free one)
  --handlers PATH   module whose default export registers handlers (default: log each event)

Exit codes: 0 stopped cleanly, 1 startup failure, 2 usage error.`;

const SAMPLE = fileURLToPath(new URL("../../fixtures/response.completed.json", import.meta.url));

/** Runs the dev command. */
export async function devCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs(flagConfig(args, { port: { type: "string" }, handlers: { type: "string" } })),
  );
  if (values.help) return void console.log(DEV_HELP), ExitCode.OK;
  if (positionals.length > 0) throw new UsageError(`dev takes no arguments (got "${positionals[0]}")`);
  const secret = `dev_${randomBytes(24).toString("hex")}`;
  const config = loadServiceConfig({
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(integerFlag("port", values.port, 0, 65_535) ?? 8080),
    WEBHOOK_SCHEME: "chatgpt",
    WEBHOOK_SECRET: secret,
    WEBHOOK_KEY_URL: undefined,
    HANDLERS: values.handlers,
    REPLAY_STORE: "memory",
  });
  const logger = createLogger({ level: config.logLevel });
  const service = await startService(config, logger, {
    register: (receiver) => {
      if (values.handlers !== undefined) return;
      receiver.on("*", (_event, context) => {
        context.logger.info("dev handler received an event");
      });
    },
  });
  const webhookUrl = `${service.url}${config.path}`;
  const sample = await readFile(SAMPLE);
  console.log(`
chatgpt-webhook-receiver (dev)
  webhook URL  ${webhookUrl}
  scheme       chatgpt
  secret       ${secret}   (generated for this run only)

Paste this signed request (valid for ${config.toleranceSeconds} s; a second paste answers "duplicate"):

${curlCommand(webhookUrl, sign("chatgpt", { body: sample, secret }), SAMPLE)}

Sign any body yourself:

  npm run sign -- ${shellQuote(SAMPLE)} --secret ${secret} --curl --url ${webhookUrl}
`);
  return runUntilSignal(service, logger);
}
