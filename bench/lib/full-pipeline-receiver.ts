// The adapter servers' receiver: the built library configured as the service scenario runs (limits, claims, logs, metrics).
import type * as Library from "../../src/index.js";
import type * as ServiceLogger from "../../src/observability/logger.js";
import { DIST_INDEX, DIST_LOGGER } from "./paths.js";

/** The built library, typed by its source (dist is built by `npm run bench` before anything runs). */
export const library = (await import(DIST_INDEX)) as typeof Library;

/** The Redis stores of the service-redis scenario: the replay store and the rate-limit counter on one connection. */
export interface FullPipelineRedis {
  readonly connection: Library.RedisConnection;
  /** Prefix of every key written (the caller deletes them afterwards). */
  readonly keyPrefix: string;
}

/**
 * `createWebhookReceiver` with the service scenario's settings (`bench/lib/start-service-target.ts`):
 * chatgpt scheme, `BENCH_SECRET`, memory replay store of 100,000 entries, the general rate limit
 * raised so the load is not refused (both limiters still run), the failure limit at its default,
 * the service's pino logger at info on stdout (one line per delivery), one no-op async `*` handler.
 * `logFile` sends the log lines there instead, through the same batching as stdout. `redis`
 * swaps the memory stores for the service-redis scenario's (its replay store and rate-limit counter).
 */
export async function createFullPipelineReceiver(logFile?: string, redis?: FullPipelineRedis): Promise<Library.WebhookReceiver> {
  const { createLogger, batchedDestination } = (await import(DIST_LOGGER)) as typeof ServiceLogger;
  const destination = logFile === undefined ? undefined : batchedDestination(logFile);
  const receiver = library.createWebhookReceiver({
    scheme: "chatgpt",
    secret: process.env.BENCH_SECRET ?? "",
    ...(redis === undefined
      ? { replayMaxEntries: 100_000 }
      : {
          replayStore: library.createRedisReplayStore({ connection: redis.connection, keyPrefix: `${redis.keyPrefix}replay:` }),
          // As the service with a Redis store: RATE_LIMIT_SYNC_MS at its default of 100.
          rateLimitCounter: library.redisCounter(redis.connection, `${redis.keyPrefix}rl:`, { syncMs: 100 }),
        }),
    rateLimitPerMinute: 100_000_000,
    rateLimitFailuresPerMinute: 30,
    logger: createLogger({ level: "info", ...(destination !== undefined && { destination }) }),
  });
  receiver.on("*", async () => {});
  return receiver;
}
