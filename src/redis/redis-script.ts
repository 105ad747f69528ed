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
 */
export async function evalScript(client: RedisClient, s: RedisScript, keys: string | readonly string[], args: readonly string[]): Promise<unknown> {
  const options = { keys: typeof keys === "string" ? [keys] : [...keys], arguments: [...args] };
  try {
    return await client.evalSha(s.sha, options);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return client.eval(s.source, options);
  }
}
