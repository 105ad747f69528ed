// `chatgpt-webhooks events failed | show | retry | stats`: the queue's dead letters and counts, on the Redis `serve` uses.
import { loadQueueLocation } from "../config/env.js";
import { queuePrefixFor } from "../queue/job-queue.js";
import { createQueueAdmin, type QueueAdmin } from "../queue/queue-admin.js";
import { createRedisConnection } from "../redis/redis-connection.js";
import { formatDetails, formatFailed, formatStats } from "./events/print-events.js";
import { flagConfig, parseArgs, parseFlags } from "./parse-flags.js";
import { loadDotEnv } from "./serve-command.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const EVENTS_HELP = `Usage: chatgpt-webhooks events <subcommand> [flags]

Reads the queue (DISPATCH=queue) on the Redis of QUEUE_URL (default: REPLAY_STORE when it is a
redis:// URL) under REDIS_KEY_PREFIX, from env and ./.env as serve does.

  failed [--json]             dead-lettered events: id, type, attempts, when, last error
                              (--json: one array of {id, job, type, attempts, lastError, failedAt})
  show <id> [--json]          one event (event id or job id): state, payload, every attempt's error
  retry <id>...               put dead-lettered events back in the queue with fresh attempts
  retry --all-failed          the same for every dead-lettered event
  stats [--json]              job counts by state (failed = dead letters)

Exit codes: 0 success, 1 failure (Redis unreachable, an id not found, invalid configuration),
2 usage error.`;

/** How long the command waits for Redis before giving up. */
const CONNECT_WAIT_MS = 3_000;

type Subcommand = (admin: QueueAdmin, positionals: readonly string[], values: { json: boolean; "all-failed": boolean }) => Promise<number>;

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  async failed(admin, positionals, values) {
    if (positionals.length > 0) throw new UsageError(`events failed takes no arguments (got "${positionals[0]}")`);
    const events = await admin.failed();
    console.log(values.json ? JSON.stringify(events) : formatFailed(events));
    return ExitCode.OK;
  },
  async show(admin, positionals, values) {
    if (positionals.length !== 1) throw new UsageError("events show takes exactly one id");
    const id = positionals[0] ?? "";
    const event = await admin.show(id);
    if (event === undefined) {
      console.error(`chatgpt-webhooks: no queued or dead-lettered event "${id}"`);
      return ExitCode.FAILURE;
    }
    console.log(values.json ? JSON.stringify(event) : formatDetails(event));
    return ExitCode.OK;
  },
  async retry(admin, positionals, values) {
    if (values["all-failed"]) {
      if (positionals.length > 0) throw new UsageError("events retry takes ids or --all-failed, not both");
      console.log(`${await admin.retryAllFailed()} dead-lettered event(s) back in the queue`);
      return ExitCode.OK;
    }
    if (positionals.length === 0) throw new UsageError("events retry needs at least one id, or --all-failed");
    const { retried, notFound } = await admin.retry(positionals);
    for (const id of retried) console.log(`${id}: back in the queue`);
    for (const id of notFound) console.error(`chatgpt-webhooks: ${id}: not among the dead-lettered events`);
    return notFound.length === 0 ? ExitCode.OK : ExitCode.FAILURE;
  },
  async stats(admin, positionals, values) {
    if (positionals.length > 0) throw new UsageError(`events stats takes no arguments (got "${positionals[0]}")`);
    const stats = await admin.stats();
    console.log(values.json ? JSON.stringify(stats) : formatStats(stats));
    return ExitCode.OK;
  },
};

/** Runs the events command. */
export async function eventsCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs(flagConfig(args, { json: { type: "boolean", default: false }, "all-failed": { type: "boolean", default: false } })),
  );
  if (values.help) return void console.log(EVENTS_HELP), ExitCode.OK;
  const [name, ...rest] = positionals;
  const subcommand = name === undefined ? undefined : SUBCOMMANDS[name];
  if (subcommand === undefined) throw new UsageError(`events needs a subcommand: failed, show, retry or stats${name === undefined ? "" : ` (got "${name}")`}`);
  if (values["all-failed"] && name !== "retry") throw new UsageError("--all-failed goes with events retry");
  if (values.json && name === "retry") throw new UsageError("--json goes with events failed, show or stats");
  loadDotEnv();
  const location = loadQueueLocation(process.env);
  const connection = createRedisConnection({ url: location.url });
  try {
    if (!(await connection.waitUntilReady(CONNECT_WAIT_MS))) {
      console.error(`chatgpt-webhooks: Redis at ${connection.redactedUrl} did not answer within ${CONNECT_WAIT_MS} ms`);
      return ExitCode.FAILURE;
    }
    const admin = createQueueAdmin(connection.client, queuePrefixFor(location.keyPrefix));
    try {
      return await subcommand(admin, rest, values);
    } finally {
      await admin.close();
    }
  } finally {
    await connection.close();
  }
}
