// Scenario 4: our service with the Redis replay store (REPLAY_STORE=redis://...).
import { randomBytes } from "node:crypto";
import { redisReachable } from "../lib/redis-keys.js";
import { ServerStartError } from "../lib/server-process.js";
import { chatgptSigner } from "../lib/signers.js";
import { startServiceTarget } from "../lib/start-service-target.js";
import type { Scenario } from "./scenario.js";

/** Skipped when no Redis listens at BENCH_REDIS_URL, or when the config refuses a redis:// store. */
export const serviceRedis: Scenario = {
  id: "service-redis",
  title: "our service (Redis replay store)",
  start: async (context) => {
    if (!(await redisReachable(context.redisUrl))) return { skipped: `no Redis at ${context.redisUrl}` };
    const secret = randomBytes(32).toString("hex");
    try {
      const env = { WEBHOOK_SECRET: secret, REPLAY_STORE: context.redisUrl };
      return { target: await startServiceTarget(context.workDir, "service-redis", env, chatgptSigner(secret)) };
    } catch (error) {
      if (error instanceof ServerStartError && error.stderrText.includes("REPLAY_STORE")) {
        return { skipped: `redis store not wired (${error.stderrText.trim().split("\n")[0] ?? ""})` };
      }
      throw error;
    }
  },
};
