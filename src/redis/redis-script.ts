// Lua scripts on Redis: defined once with their SHA1, run by EVALSHA with a fallback to EVAL.
import { createHash } from "node:crypto";
import type { RedisClient } from "./redis-connection.js";

/** A Lua script with its SHA1, as EVALSHA wants it. */
export interface RedisScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

/** A script with its SHA1 computed once. */
export function defineScript(name: string, source: string): RedisScript {
  return { name, source, sha: createHash("sha1").update(source).digest("hex") };
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}

/**
 * Runs `script` by EVALSHA, falling back to EVAL (which also loads it) when Redis does not know
 * it yet: after a restart, a failover or `SCRIPT FLUSH`. Unbounded: callers add the timeout.
 * The command goes out as raw arguments (`sendCommand`), skipping node-redis' per-command
 * argument parser: this is on every delivery's path (docs/BENCHMARKS.md). It also skips
 * node-redis' `COMMAND_REPLY` diagnostics-channel message (its tracing span still runs).
 */
export function evalScript(client: RedisClient, s: RedisScript, keys: string | readonly string[], args: readonly string[]): Promise<unknown> {
  const command = typeof keys === "string" ? ["EVALSHA", s.sha, "1", keys, ...args] : ["EVALSHA", s.sha, String(keys.length), ...keys, ...args];
  return client.sendCommand<unknown>(command).catch((error: unknown) => {
    if (!isNoScript(error)) throw error;
    command[0] = "EVAL";
    command[1] = s.source;
    return client.sendCommand<unknown>(command);
  });
}
