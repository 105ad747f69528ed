// The multi-instance replay store on Redis: atomic claims, owner-checked changes, fail-closed on a slow or absent Redis.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { createOrphanClaims } from "./orphan-claims.js";
import { RedisErrorCode, RedisStoreError, withTimeout } from "../redis/redis-command.js";
import { createRedisConnection, type RedisConnection } from "../redis/redis-connection.js";
import { evalScript, type RedisScript } from "../redis/redis-script.js";
import { CLAIM, COMPLETE, DONE_MARKER, EXTEND, RELEASE } from "./redis-scripts.js";
import type { ClaimResult, ReplayStore } from "./replay-store.js";

/** Options of {@link createRedisReplayStore}: `connection` (shared) or `url` (the store's own). */
export interface RedisReplayStoreOptions {
  /**
   * A connection from `createRedisConnection`, e.g. shared with the rate limiter. The store uses
   * its `commandTimeoutMs` and does not close it: its creator does.
   */
  readonly connection?: RedisConnection;
  /** `redis://...`: the store opens (and on `close()` closes) its own connection. */
  readonly url?: string;
  /** Prefix of every key the store writes. Defaults to `cwr:replay:`. */
  readonly keyPrefix?: string;
  /** Bound on each Redis call when the store opens its own connection. Defaults to 1000 ms. */
  readonly commandTimeoutMs?: number;
  /** Longest wait between reconnect attempts of the store's own connection. Defaults to 2000 ms. */
  readonly maxReconnectDelayMs?: number;
  readonly logger?: Logger;
}

/** The Redis store (always asynchronous), with its connection (e.g. to wait for the first connect at start). */
export interface RedisReplayStore extends ReplayStore {
  readonly connection: RedisConnection;
  claim(key: string, leaseMs: number): Promise<ClaimResult>;
  extend(key: string, owner: string, leaseMs: number): Promise<boolean>;
  complete(key: string, owner: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<boolean>;
  readiness(): Promise<{ readonly ready: boolean; readonly reason?: string }>;
}

const DUPLICATE: ClaimResult = { status: "duplicate" };
const IN_PROGRESS: ClaimResult = { status: "in_progress" };

/** Redis wants a positive integer of milliseconds for PX / PEXPIRE. */
const millis = (ms: number): string => String(Math.max(1, Math.ceil(ms)));

/**
 * Creates the Redis store. Keys are `<keyPrefix><replay key>`; the value is the claim's owner
 * token (a random UUID, expiring with the lease) or `done` (expiring with the done ttl). Every
 * call is bounded by the command timeout and rejects with a `RedisStoreError` when Redis is
 * offline, slow or failing, which the replay guard answers with 503 `replay_store_unavailable`.
 * A claim that failed without an answer is released, owner-checked, once Redis answers again.
 * @throws Error when neither `connection` nor `url` is given
 */
export function createRedisReplayStore(options: RedisReplayStoreOptions): RedisReplayStore {
  const own = options.connection === undefined;
  const connection =
    options.connection ??
    createRedisConnection({
      url: options.url ?? missingUrl(),
      ...(options.commandTimeoutMs !== undefined && { commandTimeoutMs: options.commandTimeoutMs }),
      ...(options.maxReconnectDelayMs !== undefined && { maxReconnectDelayMs: options.maxReconnectDelayMs }),
      ...(options.logger !== undefined && { logger: options.logger }),
    });
  const { client, commandTimeoutMs } = connection;
  const prefix = options.keyPrefix ?? "cwr:replay:";
  const logger = options.logger;

  /** Redis answered: a good moment to give back claims whose answers were lost. */
  const answered = (): void => {
    if (orphans.size > 0) void orphans.flush();
  };

  /** Sends a script; also returns the unbounded call, for a claim whose answer comes too late. */
  function send(s: RedisScript, key: string, args: readonly string[]): { bounded: Promise<unknown>; raw: Promise<unknown> } {
    // withTimeout handles the raw call's rejection; it may settle after the bounded one.
    const raw = evalScript(client, s, prefix + key, args);
    return { bounded: withTimeout(raw, commandTimeoutMs, s.name, answered), raw };
  }

  const run = (s: RedisScript, key: string, args: readonly string[]): Promise<unknown> => send(s, key, args).bounded;
  const owned = (owner: string): boolean => owner !== DONE_MARKER && owner !== "";

  const orphans = createOrphanClaims({ release: (key, owner) => run(RELEASE, key, [owner]) });
  const onReady = (): void => void orphans.flush();
  client.on("ready", onReady);

  return {
    connection,
    async claim(key, leaseMs) {
      const owner = randomUUID();
      const { bounded, raw } = send(CLAIM, key, [owner, millis(leaseMs)]);
      let previous: unknown;
      try {
        previous = await bounded;
      } catch (error) {
        // Unless it was never sent, Redis may have applied the claim without our hearing it:
        // give it back once Redis answers (docs/ARCHITECTURE.md, "Replay stores"), so the sender's retry is not blocked.
        const neverSent = error instanceof RedisStoreError && error.code === RedisErrorCode.OFFLINE;
        if (!neverSent) orphans.add(key, owner, leaseMs, raw);
        throw error;
      }
      if (previous === null) return { status: "claimed", owner };
      return previous === DONE_MARKER ? DUPLICATE : IN_PROGRESS;
    },
    async extend(key, owner, leaseMs) {
      return owned(owner) && (await run(EXTEND, key, [owner, millis(leaseMs)])) === 1;
    },
    async complete(key, owner, ttlMs) {
      return owned(owner) && (await run(COMPLETE, key, [owner, DONE_MARKER, millis(ttlMs)])) === 1;
    },
    async release(key, owner) {
      return owned(owner) && (await run(RELEASE, key, [owner])) === 1;
    },
    async readiness() {
      if (!client.isReady) return { ready: false, reason: "redis disconnected" };
      try {
        await withTimeout(client.ping(), commandTimeoutMs, "PING");
        return { ready: true };
      } catch (error) {
        logger?.debug({ err: error }, "redis readiness check failed");
        return { ready: false, reason: "redis not answering" };
      }
    },
    async close() {
      client.off("ready", onReady);
      if (orphans.size > 0 && client.isReady) await orphans.flush();
      orphans.clear();
      if (own) await connection.close();
    },
  };
}

function missingUrl(): never {
  throw new Error("createRedisReplayStore needs a connection or a url");
}
