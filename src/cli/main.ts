#!/usr/bin/env node
// The `chatgpt-webhooks` CLI: serve | worker | events | dev | replay | trigger | sign.
import { ConfigError } from "../errors.js";
import { devCommand, DEV_HELP } from "./dev-command.js";
import { eventsCommand, EVENTS_HELP } from "./events-command.js";
import { replayCommand, REPLAY_HELP } from "./replay-command.js";
import { serveCommand, SERVE_HELP } from "./serve-command.js";
import { signCommand, SIGN_HELP } from "./sign-command.js";
import { triggerCommand, TRIGGER_HELP } from "./trigger-command.js";
import { workerCommand, WORKER_HELP } from "./worker-command.js";
import { ExitCode, UsageError } from "./usage-error.js";

const HELP = `Usage: chatgpt-webhooks <command> [flags]

Commands:
  serve   run the receiver configured from env / .env (production)
  worker  run queue workers (DISPATCH=queue) with no listener
  events  the queue's dead letters (list, show, retry) and counts by state
  dev     run the receiver with an embedded local provider (OAuth server + key endpoint)
  replay  sign fixture events with a fresh timestamp and POST them
  trigger send an event of any known type, built from a template, with overrides
  sign    print the signature headers (or a curl command) for a body

Run "chatgpt-webhooks <command> --help" for a command's flags.
Exit codes: 0 success, 1 failure (including invalid configuration), 2 usage error.

${SERVE_HELP}

${WORKER_HELP}

${EVENTS_HELP}

${DEV_HELP}

${REPLAY_HELP}

${TRIGGER_HELP}

${SIGN_HELP}`;

const COMMANDS: Readonly<Record<string, (args: readonly string[]) => Promise<number>>> = {
  serve: serveCommand,
  worker: workerCommand,
  events: eventsCommand,
  dev: devCommand,
  replay: replayCommand,
  trigger: triggerCommand,
  sign: (args) => signCommand(args, process.env),
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown command "${name}" (expected serve, worker, events, dev, replay, trigger or sign)`);
  return command(args);
}

// Keeps the process alive until the command settles: a command waiting only on unref'd timers
// (a retry's backoff) would otherwise end the process silently, with exit code 0.
const untilSettled = setInterval(() => undefined, 60_000);
main(process.argv.slice(2)).then(
  (code) => {
    clearInterval(untilSettled);
    process.exitCode = code;
  },
  (error: unknown) => {
    clearInterval(untilSettled);
    if (error instanceof UsageError) {
      console.error(`chatgpt-webhooks: ${error.message}\nRun "chatgpt-webhooks --help" for usage.`);
      process.exitCode = ExitCode.USAGE;
    } else if (error instanceof ConfigError) {
      console.error(`chatgpt-webhooks: invalid configuration: ${error.message}`);
      process.exitCode = ExitCode.FAILURE;
    } else {
      console.error("chatgpt-webhooks: failed:", error instanceof Error ? error.message : error);
      process.exitCode = ExitCode.FAILURE;
    }
  },
);
