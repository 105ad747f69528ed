// Scenario 4: our service with the Redis replay store (REPLAY_STORE=redis://...).
import { randomBytes, randomUUID } from "node:crypto";
import { deleteRedisKeys, redisReachable } from "../lib/redis-keys.js";
import { ServerStartError } from "../lib/server-process.js";
import { chatgptSigner } from "../lib/signers.js";
import { startServiceTarget } from "../lib/start-service-target.js";
import type { Scenario } from "./scenario.js";

/**
 * Skipped when no Redis listens at BENCH_REDIS_URL, or when the config refuses a redis:// store.
 * Its keys live under a prefix of its own and are deleted when it stops: done entries live for
 * days, and a Redis grown by earlier runs would slow every later one.
 */
export const serviceRedis: Scenario = {
  id: "service-redis",
  title: "our service (Redis replay store)",
  start: async (context) => {
    if (!(await redisReachable(context.redisUrl))) return { skipped: `no Redis at ${context.redisUrl}` };
    const secret = randomBytes(32).toString("hex");
    const prefix = `cwr-bench:${randomUUID()}:`;
    try {
      const env = { WEBHOOK_SECRET: secret, REPLAY_STORE: context.redisUrl, REDIS_KEY_PREFIX: prefix };
      const target = await startServiceTarget(context.workDir, "service-redis", env, chatgptSigner(secret));
      return {
        target: {
          ...target,
          stop: async () => {
            await target.stop();
            await deleteRedisKeys(context.redisUrl, prefix);
          },
        },
      };
    } catch (error) {
      if (error instanceof ServerStartError && error.stderrText.includes("REPLAY_STORE")) {
        return { skipped: `redis store not wired (${error.stderrText.trim().split("\n")[0] ?? ""})` };
      }
      throw error;
    }
  },
};
