// Queue mode's receive path: our service with DISPATCH=queue and no workers in its process (they run elsewhere).
import { randomBytes, randomUUID } from "node:crypto";
import { chatgptSigner } from "../lib/signers.js";
import { deleteRedisKeys, redisReachable } from "../lib/redis-keys.js";
import { startServiceTarget } from "../lib/start-service-target.js";
import type { Scenario } from "./scenario.js";

/**
 * Verify, claim, enqueue (BullMQ on Redis) and answer 202; `WORKER_CONCURRENCY=0`, so the
 * server's CPU is the receive path's alone. The jobs it queues are deleted when it stops.
 */
export const serviceQueue: Scenario = {
  id: "service-queue",
  title: "our service (queue mode: verify + enqueue)",
  start: async (context) => {
    if (!(await redisReachable(context.redisUrl))) return { skipped: `no Redis at ${context.redisUrl}` };
    const secret = randomBytes(32).toString("hex");
    const prefix = `cwr-bench:${randomUUID()}:`;
    const env = { WEBHOOK_SECRET: secret, REPLAY_STORE: context.redisUrl, REDIS_KEY_PREFIX: prefix, DISPATCH: "queue", WORKER_CONCURRENCY: "0" };
    const target = await startServiceTarget(context.workDir, "service-queue", env, chatgptSigner(secret));
    return {
      target: {
        ...target,
        expectInBody: '"queued"',
        stop: async () => {
          await target.stop();
          await deleteRedisKeys(context.redisUrl, prefix);
        },
      },
    };
  },
};
