// The counter on Redis, shared by every instance: one script counts requests and reads the
// client's failure count. With a sync interval, a client far below its limits is counted locally
// and its counts are added in one script per half interval; otherwise every request is one round trip.
import { systemClock, type Clock } from "../clock.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { withTimeout } from "../redis/redis-command.js";
import { defineScript, evalScript } from "../redis/redis-script.js";
import { createLocalCounts, type Batch } from "./local-counts.js";
import type { ClientStanding, CountedLimits, RateLimitCounter, RateLimitCounterFactory, WindowCount } from "./rate-limit-counter.js";

/**
 * Lua helpers of both scripts. Every key under the prefix is ours: one that is not a counter
 * (written by hand, or by something else sharing the prefix) is replaced rather than left to fail
 * every request's script, and a counter without an expiry gets one, so no client is refused for
 * good by a window that never ends.
 */
const HELPERS = `local function count(key, window, by)
  local ok, hits = pcall(redis.call, 'INCRBY', key, by)
  if not ok then
    redis.call('DEL', key)
    hits = redis.call('INCRBY', key, by)
  end
  local left = redis.call('PTTL', key)
  if left < 0 then
    redis.call('PEXPIRE', key, window)
    left = tonumber(window)
  end
  return hits, left
end
local function read(key, window)
  local ok, value = pcall(redis.call, 'GET', key)
  local hits = ok and tonumber(value or '0') or nil
  if hits == nil then
    redis.call('DEL', key)
    return 0, -2
  end
  local left = redis.call('PTTL', key)
  if left == -1 then
    redis.call('PEXPIRE', key, window)
    left = tonumber(window)
  end
  return hits, left
end
`;

/**
 * KEYS = requests key, failures key; ARGV = window ms, requests to add (0: none), "1" to read
 * the failures. A fixed window per key: it starts with the key's first hit and ends `window` ms
 * later. Returns {requests, requests ms left, failures, failures ms left}, -1 where not counted.
 */
const COUNT_REQUESTS = defineScript(
  "rate_limit_requests",
  `${HELPERS}local hits, left, failures, failuresLeft = -1, -1, -1, -1
if ARGV[2] ~= '0' then hits, left = count(KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[3] == '1' then failures, failuresLeft = read(KEYS[2], ARGV[1]) end
return {hits, left, failures, failuresLeft}`,
);

/** KEYS = failures key; ARGV = window ms. Counts one failed answer; returns {failures, ms left}. */
const COUNT_FAILURE = defineScript(
  "rate_limit_failure",
  `${HELPERS}local hits, left = count(KEYS[1], ARGV[1], 1)
return {hits, left}`,
);

function toCount(hits: unknown, msLeft: unknown, now: number): WindowCount | undefined {
  if (typeof hits !== "number" || hits < 0) return undefined;
  return { hits, resetAt: typeof msLeft === "number" && msLeft > 0 ? now + msLeft : undefined };
}

const NOT_COUNTED: ClientStanding = { requests: undefined, failures: undefined };

/** Options of {@link redisCounter}. */
export interface RedisCounterOptions {
  /** Turns the windows' remaining ms into reset times, and dates the local counts. */
  readonly clock?: Clock;
  /**
   * How long shared counts read from Redis stay good for counting locally, and how often local
   * counts are added to Redis; 0 (the default here) counts every request in Redis before it is
   * answered. With an interval, a client is counted locally only below half of each limit (the
   * factory's `requestsPerWindow` / `failuresPerWindow`), so every decision near a limit reads
   * the shared count; README, "Configuration" gives the bound.
   */
  readonly syncMs?: number;
}

/**
 * Counter factory on `connection`, keys under `prefix` (`<prefix>requests:<client>`,
 * `<prefix>failures:<client>`).
 */
export function redisCounter(connection: RedisConnection, prefix: string, options: RedisCounterOptions = {}): RateLimitCounterFactory {
  const clock = options.clock ?? systemClock;
  const syncMs = options.syncMs ?? 0;
  return (limits: CountedLimits, onError: (error: unknown) => void): RateLimitCounter => {
    const window = String(limits.windowMs);
    const readFailures = limits.failures ? "1" : "0";
    // No local counts without an interval: every request is counted in Redis.
    const local = syncMs > 0 ? createLocalCounts(limits, syncMs, clock) : undefined;
    const run = (script: typeof COUNT_REQUESTS, keys: readonly string[], args: readonly string[]): Promise<unknown> =>
      withTimeout(evalScript(connection.client, script, keys, args), connection.commandTimeoutMs, script.name);

    /** Adds `batch` to Redis (a count of 0 only reads) and records the shared counts in the local ones. */
    async function sync(batch: Batch): Promise<ClientStanding> {
      const { key } = batch;
      try {
        const counted = limits.requests ? String(batch.count) : "0";
        const reply = await run(COUNT_REQUESTS, [`${prefix}requests:${key}`, `${prefix}failures:${key}`], [window, counted, readFailures]);
        const [hits, left, failures, failuresLeft] = Array.isArray(reply) ? (reply as unknown[]) : [];
        const now = clock.now();
        const standing = { requests: toCount(hits, left, now), failures: toCount(failures, failuresLeft, now) };
        if (local !== undefined) {
          local.synced(batch, standing.requests, standing.failures);
          schedule();
        }
        return standing;
      } catch (error) {
        local?.unsent(batch);
        onError(error);
        return NOT_COUNTED;
      }
    }

    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    /**
     * Sends every client's local counts (one script per client, pipelined by node-redis) and
     * forgets stale clients; runs every half interval while any client is known, so a client
     * counted locally is synced again before its counts go stale.
     */
    async function flush(): Promise<void> {
      timer = undefined;
      if (local === undefined) return;
      local.prune();
      const sending = local.pendingKeys().map((key) => sync(local.take(key, 0)));
      schedule();
      await Promise.all(sending);
    }
    function schedule(): void {
      if (timer !== undefined || closed || local === undefined || local.size === 0) return;
      timer = setTimeout(() => void flush(), Math.max(1, Math.floor(syncMs / 2)));
      timer.unref();
    }

    return {
      countRequest(key: string): ClientStanding | Promise<ClientStanding> {
        if (local === undefined || closed) return sync({ key, count: 1, tracked: false });
        const counted = local.countLocally(key);
        if (counted !== undefined) {
          schedule();
          return counted;
        }
        return sync(local.take(key, 1));
      },
      async countFailure(key: string): Promise<void> {
        if (!limits.failures) return;
        try {
          const reply = await run(COUNT_FAILURE, [`${prefix}failures:${key}`], [window]);
          const [hits, left] = Array.isArray(reply) ? (reply as unknown[]) : [];
          local?.failuresSynced(key, toCount(hits, left, clock.now()));
        } catch (error) {
          onError(error);
        }
      },
      flush,
      close() {
        closed = true;
        if (timer !== undefined) clearTimeout(timer);
        // Hand the last local counts to Redis; the connection belongs to the service, which closes it after the receiver.
        if (local !== undefined && local.pendingKeys().length > 0) void flush();
      },
    };
  };
}
