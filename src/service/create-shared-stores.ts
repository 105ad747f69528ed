// The stores of the service: memory (one instance), or one Redis connection shared by the replay
// store and both rate limiters (many instances behind a load balancer).
import type { Logger } from "pino";
import type { ServiceConfig } from "../config/env.js";
import type { RateLimitCounterFactory } from "../rate-limit/rate-limit-counter.js";
import { redisCounter } from "../rate-limit/redis-counter.js";
import { createRedisConnection } from "../redis/redis-connection.js";
import { createRedisReplayStore } from "../replay/redis-replay-store.js";
import type { ReplayStore } from "../replay/replay-store.js";

/** Stores to hand to the receiver (undefined: the receiver's memory defaults). */
export interface SharedStores {
  readonly replayStore: ReplayStore | undefined;
  readonly rateLimitCounter: RateLimitCounterFactory | undefined;
  /** Closes the shared connection (after the receiver closed its stores). */
  close(): Promise<void>;
}

/** How long start-up waits for Redis before serving anyway (deliveries get 503 until it answers). */
const STARTUP_WAIT_MS = 3_000;

/** Creates the stores `config.replayStore` asks for. */
export async function createSharedStores(config: ServiceConfig, logger: Logger): Promise<SharedStores> {
  if (config.replayStore.kind === "memory") {
    return { replayStore: undefined, rateLimitCounter: undefined, close: () => Promise.resolve() };
  }
  const { url, keyPrefix } = config.replayStore;
  const connection = createRedisConnection({ url, logger });
  if (!(await connection.waitUntilReady(STARTUP_WAIT_MS))) {
    logger.warn({ redis: connection.redactedUrl }, "Redis not reachable yet: deliveries get 503 until it answers");
  }
  return {
    replayStore: createRedisReplayStore({ connection, keyPrefix: `${keyPrefix}replay:`, logger }),
    rateLimitCounter: redisCounter(connection, `${keyPrefix}rl:`),
    close: () => connection.close(),
  };
}
