// BullMQ needs Redis never to evict keys: read `maxmemory-policy` at start and say loudly when jobs could vanish.
import type { Logger } from "pino";
import { withTimeout } from "../redis/redis-command.js";
import type { RedisConnection } from "../redis/redis-connection.js";

/** The only policy under which Redis never drops a queued job to make room. */
export const SAFE_EVICTION_POLICY = "noeviction";

/** What the start-up check concluded. */
export type EvictionVerdict =
  | { readonly kind: "safe" }
  | { readonly kind: "evicts"; readonly policy: string }
  | { readonly kind: "unknown"; readonly reason: string };

/**
 * Judges the answer to `CONFIG GET maxmemory-policy`: the reply's fields, or the error when the
 * command was refused (managed Redis often renames or forbids CONFIG) or got no answer.
 */
export function judgeEvictionPolicy(answer: { readonly reply: Readonly<Record<string, string>> } | { readonly error: unknown }): EvictionVerdict {
  if ("error" in answer) return { kind: "unknown", reason: answer.error instanceof Error ? answer.error.message : String(answer.error) };
  const policy = answer.reply["maxmemory-policy"];
  if (policy === undefined || policy === "") return { kind: "unknown", reason: "CONFIG GET maxmemory-policy returned no value" };
  return policy === SAFE_EVICTION_POLICY ? { kind: "safe" } : { kind: "evicts", policy };
}

/**
 * Reads the policy of the queue's Redis (bounded by the connection's command timeout) and logs:
 * nothing when `noeviction`, an error line when Redis may evict jobs, a warning when it could not
 * be checked. Never throws: the service starts either way.
 */
export async function checkEvictionPolicy(connection: RedisConnection, logger: Logger): Promise<EvictionVerdict> {
  let verdict: EvictionVerdict;
  try {
    const reply = await withTimeout(connection.client.configGet("maxmemory-policy"), connection.commandTimeoutMs, "CONFIG GET");
    verdict = judgeEvictionPolicy({ reply });
  } catch (error) {
    verdict = judgeEvictionPolicy({ error });
  }
  const fields = { redis: connection.redactedUrl, required_policy: SAFE_EVICTION_POLICY };
  if (verdict.kind === "evicts") {
    logger.error(
      { ...fields, maxmemory_policy: verdict.policy },
      "queue Redis may evict keys: queued events and dead letters can be lost under memory pressure; set maxmemory-policy noeviction",
    );
  } else if (verdict.kind === "unknown") {
    logger.warn({ ...fields, reason: verdict.reason }, "queue Redis maxmemory-policy could not be checked; make sure it is noeviction or queued events may be lost");
  }
  return verdict;
}
