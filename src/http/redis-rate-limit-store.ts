// A rate-limit store shared by every instance on one Redis (rate-limit-redis over our connection),
// rebuilt after a failure so a Redis outage at start does not leave it broken for good.
import type { IncrementResponse, Options, Store } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { RedisConnection } from "../replay/redis-connection.js";

/**
 * Creates the store. rate-limit-redis loads its Lua scripts once at `init`; if Redis is down
 * then, every later call would fail, so any failure drops the inner store and the next call
 * builds (and initialises) a new one.
 */
export function createRedisRateLimitStore(connection: RedisConnection, prefix: string): Store {
  let options: Options | undefined;
  let inner: RedisStore | undefined;
  const current = (): RedisStore => {
    if (inner === undefined) {
      inner = new RedisStore({ prefix, sendCommand: (...args: string[]) => connection.sendCommand<RedisReply>(args) });
      if (options !== undefined) {
        void inner.init(options).catch(() => undefined);
        // init starts loading both scripts; a store dropped before using one must not leave an
        // unhandled rejection behind (callers that await them still see the error).
        inner.incrementScriptSha.catch(() => undefined);
        inner.getScriptSha.catch(() => undefined);
      }
    }
    return inner;
  };
  const guarded = async <T>(call: (store: RedisStore) => Promise<T>): Promise<T> => {
    try {
      return await call(current());
    } catch (error) {
      inner = undefined;
      throw error;
    }
  };
  return {
    localKeys: false,
    prefix,
    init(configuration: Options) {
      options = configuration;
      inner = undefined;
    },
    increment: (key): Promise<IncrementResponse> => guarded((store) => store.increment(key)),
    get: (key) => guarded((store) => store.get(key)),
    decrement: (key) => guarded((store) => store.decrement(key)),
    resetKey: (key) => guarded((store) => store.resetKey(key)),
  };
}
