// The counter on Redis, shared by every instance: one script counts a request and reads the
// client's failure count, so the limits cost one round trip per request.
import { systemClock, type Clock } from "../clock.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { withTimeout } from "../redis/redis-command.js";
import { defineScript, evalScript } from "../redis/redis-script.js";
import type { ClientStanding, CountedLimits, RateLimitCounter, RateLimitCounterFactory, WindowCount } from "./rate-limit-counter.js";

/**
 * Lua helpers of both scripts. Every key under the prefix is ours: one that is not a counter
 * (written by hand, or by something else sharing the prefix) is replaced rather than left to fail
 * every request's script, and a counter without an expiry gets one, so no client is refused for
 * good by a window that never ends.
 */
const HELPERS = `local function count(key, window)
  local ok, hits = pcall(redis.call, 'INCR', key)
  if not ok then
    redis.call('DEL', key)
    hits = redis.call('INCR', key)
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
 * KEYS = requests key, failures key; ARGV = window ms, "1" to count the request, "1" to read the
 * failures. A fixed window per key: it starts with the key's first hit and ends `window` ms later.
 * Returns {requests, requests ms left, failures, failures ms left}, -1 where not counted.
 */
const COUNT_REQUEST = defineScript(
  "rate_limit_request",
  `${HELPERS}local hits, left, failures, failuresLeft = -1, -1, -1, -1
if ARGV[2] == '1' then hits, left = count(KEYS[1], ARGV[1]) end
if ARGV[3] == '1' then failures, failuresLeft = read(KEYS[2], ARGV[1]) end
return {hits, left, failures, failuresLeft}`,
);

/** KEYS = failures key; ARGV = window ms. Counts one failed answer in the key's window. */
const COUNT_FAILURE = defineScript(
  "rate_limit_failure",
  `${HELPERS}local hits = count(KEYS[1], ARGV[1])
return hits`,
);

function toCount(hits: unknown, msLeft: unknown, now: number): WindowCount | undefined {
  if (typeof hits !== "number" || hits < 0) return undefined;
  return { hits, resetAt: typeof msLeft === "number" && msLeft > 0 ? now + msLeft : undefined };
}

/**
 * Counter factory on `connection`, keys under `prefix` (`<prefix>requests:<client>`,
 * `<prefix>failures:<client>`); `clock` turns the windows' remaining ms into reset times.
 */
export function redisCounter(connection: RedisConnection, prefix: string, clock: Clock = systemClock): RateLimitCounterFactory {
  return (limits: CountedLimits, onError: (error: unknown) => void): RateLimitCounter => {
    const window = String(limits.windowMs);
    const countArgs = [window, limits.requests ? "1" : "0", limits.failures ? "1" : "0"];
    const run = (script: typeof COUNT_REQUEST, keys: readonly string[], args: readonly string[]): Promise<unknown> =>
      withTimeout(evalScript(connection.client, script, keys, args), connection.commandTimeoutMs, script.name);
    return {
      async countRequest(key: string): Promise<ClientStanding> {
        try {
          const reply = await run(COUNT_REQUEST, [`${prefix}requests:${key}`, `${prefix}failures:${key}`], countArgs);
          const [hits, left, failures, failuresLeft] = Array.isArray(reply) ? (reply as unknown[]) : [];
          const now = clock.now();
          return { requests: toCount(hits, left, now), failures: toCount(failures, failuresLeft, now) };
        } catch (error) {
          onError(error);
          return { requests: undefined, failures: undefined };
        }
      },
      async countFailure(key: string): Promise<void> {
        if (!limits.failures) return;
        try {
          await run(COUNT_FAILURE, [`${prefix}failures:${key}`], [window]);
        } catch (error) {
          onError(error);
        }
      },
      close() {
        // The connection belongs to the service, which closes it after the receiver.
      },
    };
  };
}
