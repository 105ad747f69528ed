// The stores of the service: memory (one instance), or one Redis connection shared by the replay
// store and both rate limiters (many instances behind a load balancer); in queue mode, the queue's
// connection too (the same one when QUEUE_URL is the replay store's Redis).
import type { Logger } from "pino";
import type { ServiceConfig } from "../config/env.js";
import { checkEvictionPolicy } from "../queue/eviction-policy.js";
import { queuePrefixFor } from "../queue/job-queue.js";
import type { RateLimitCounterFactory } from "../rate-limit/rate-limit-counter.js";
import { redisCounter } from "../rate-limit/redis-counter.js";
import { createRedisConnection, type RedisConnection } from "../redis/redis-connection.js";
import { createRedisReplayStore } from "../replay/redis-replay-store.js";
import type { ReplayStore } from "../replay/replay-store.js";

/** Stores to hand to the receiver (undefined: the receiver's memory defaults). */
export interface SharedStores {
  readonly replayStore: ReplayStore | undefined;
  readonly rateLimitCounter: RateLimitCounterFactory | undefined;
  /** Queue mode: the queue's connection and BullMQ key prefix (`{REDIS_KEY_PREFIX}bull`). */
  readonly queue: { readonly queueConnection: RedisConnection; readonly queuePrefix: string } | undefined;
  /** Closes the shared connections (after the receiver closed its stores). */
  close(): Promise<void>;
}

/** How long start-up waits for Redis before serving anyway (deliveries get 503 until it answers). */
const STARTUP_WAIT_MS = 3_000;

async function connect(url: string, logger: Logger): Promise<RedisConnection> {
  const connection = createRedisConnection({ url, logger });
  if (!(await connection.waitUntilReady(STARTUP_WAIT_MS))) {
    logger.warn({ redis: connection.redactedUrl }, "Redis not reachable yet: deliveries get 503 until it answers");
  }
  return connection;
}

/** Creates the stores `config.replayStore` and `config.dispatch` ask for. */
export async function createSharedStores(config: ServiceConfig, logger: Logger): Promise<SharedStores> {
  const store = config.replayStore;
  const connection = store.kind === "redis" ? await connect(store.url, logger) : undefined;
  const dispatch = config.dispatch;
  const queueConnection =
    dispatch.kind === "inline" ? undefined : store.kind === "redis" && store.url === dispatch.url ? connection : await connect(dispatch.url, logger);
  // BullMQ needs noeviction: say so at start (serve and worker both come through here).
  if (queueConnection !== undefined) await checkEvictionPolicy(queueConnection, logger);
  const connections = [...new Set([connection, queueConnection])].filter((c): c is RedisConnection => c !== undefined);
  return {
    replayStore: connection === undefined || store.kind !== "redis" ? undefined : createRedisReplayStore({ connection, keyPrefix: `${store.keyPrefix}replay:`, logger }),
    rateLimitCounter: connection === undefined || store.kind !== "redis" ? undefined : redisCounter(connection, `${store.keyPrefix}rl:`, { syncMs: config.rateLimitSyncMs }),
    queue: queueConnection === undefined || dispatch.kind !== "queue" ? undefined : { queueConnection, queuePrefix: queuePrefixFor(dispatch.keyPrefix) },
    close: async () => {
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}
