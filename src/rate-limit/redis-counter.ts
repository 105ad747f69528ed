// The counter on Redis, shared by every instance: one script counts a request and reads the
// client's failure count, so the limits cost one round trip per request.
import type { RedisConnection } from "../replay/redis-connection.js";
import { withTimeout } from "../replay/redis-command.js";
import { defineScript, evalScript } from "../replay/redis-scripts.js";
import type { ClientStanding, CountedLimits, RateLimitCounter, RateLimitCounterFactory, WindowCount } from "./rate-limit-counter.js";

/**
 * KEYS = requests key, failures key; ARGV = window ms, "1" to count the request, "1" to read the
 * failures. A fixed window per key: it starts with the key's first hit and ends `window` ms later.
 * Returns {requests, requests ms left, failures, failures ms left}, -1 where not counted.
 */
const COUNT_REQUEST = defineScript(
  "rate_limit_request",
  `local hits, left, failures, failuresLeft = -1, -1, -1, -1
if ARGV[2] == '1' then
  hits = redis.call('INCR', KEYS[1])
  left = redis.call('PTTL', KEYS[1])
  if left <= 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    left = tonumber(ARGV[1])
  end
end
if ARGV[3] == '1' then
  failures = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
  failuresLeft = redis.call('PTTL', KEYS[2])
end
return {hits, left, failures, failuresLeft}`,
);

/** KEYS = failures key; ARGV = window ms. Counts one failed answer in the key's window. */
const COUNT_FAILURE = defineScript(
  "rate_limit_failure",
  `local hits = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) <= 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits`,
);

function toCount(hits: unknown, msLeft: unknown, now: number): WindowCount | undefined {
  if (typeof hits !== "number" || hits < 0) return undefined;
  return { hits, resetAt: typeof msLeft === "number" && msLeft > 0 ? now + msLeft : undefined };
}

/** Counter factory on `connection`, keys under `prefix` (`<prefix>requests:<client>`, `<prefix>failures:<client>`). */
export function redisCounter(connection: RedisConnection, prefix: string): RateLimitCounterFactory {
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
          const now = Date.now();
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
