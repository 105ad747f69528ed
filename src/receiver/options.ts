// The receiver's public options, and resolving them into a complete, validated configuration.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { systemClock, type Clock } from "../clock.js";
import { checkInteger, INTEGER_SETTINGS, type IntegerOption } from "../config/limits.js";
import { splitSecrets, validateSecrets } from "../config/secrets.js";
import { ConfigError } from "../errors.js";
import type { RateLimitCounterFactory } from "../rate-limit/rate-limit-counter.js";
import { memoryCounter } from "../rate-limit/memory-counter.js";
import { storeCounter, type RateLimitStoreFactory } from "../rate-limit/store-counter.js";
import type { KeySource } from "../keys/key-source.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { createStaticKeySource } from "../keys/static-key-source.js";
import type { ReplayStore } from "../replay/replay-store.js";
import type { DeliveryObserver } from "../pipeline/delivery-observer.js";
import type { SchemeName } from "../signature/scheme.js";
import { parseSourceAllowlist, type SourceAllowlist } from "./source-allowlist.js";
import { SCHEME_NAMES } from "../signature/schemes.js";

/** Options of `createReceiver`. Every field but one key setting is optional. */
export interface ReceiverOptions {
  /** Signature scheme (README, "Signature schemes"). Defaults to `"chatgpt"`. */
  readonly scheme?: SchemeName;
  /** Static secret(s); a string may be comma-separated. Exactly one of `secret` / `keySource`. */
  readonly secret?: string | readonly string[];
  /** Where keys come from (e.g. the remote key source). Exactly one of `secret` / `keySource`. */
  readonly keySource?: KeySource;
  /** Freshness window in seconds, both directions. Defaults to 300. */
  readonly toleranceSeconds?: number;
  /** Larger bodies get 413. Defaults to 1048576. */
  readonly maxBodyBytes?: number;
  /** Per-delivery handler timeout in ms. Defaults to 10000. */
  readonly handlerTimeoutMs?: number;
  /** Replay store. Defaults to a memory store of `replayMaxEntries`. */
  readonly replayStore?: ReplayStore;
  /** Bound of the default memory store. Defaults to 100000. */
  readonly replayMaxEntries?: number;
  /**
   * Seconds a handled event's id is remembered, so a retry of it is answered `duplicate`.
   * Defaults to 345600 (4 days: longer than the provider's 72-hour retry horizon). A done mark
   * never expires before its delivery's freshness window has closed, whatever this says.
   */
  readonly replayRetentionSeconds?: number;
  /** Requests per minute per client IP; 0 disables. Defaults to 600. */
  readonly rateLimitPerMinute?: number;
  /** Failed (400/401/413/415) requests per minute per client IP before all get 429; 0 disables. Defaults to 30. */
  readonly rateLimitFailuresPerMinute?: number;
  /**
   * Client addresses and CIDR blocks (IPv4, IPv6; a string may be comma-separated) allowed to
   * deliver; others get 403 `forbidden_source` before their body is read. The address is the
   * adapter's: Express's `req.ip` (under `trust proxy`), the socket's peer in `node:http`, the
   * `clientAddress` of the fetch handler (without one, every request is refused). Defaults to
   * every source.
   */
  readonly allowedSourceIps?: string | readonly string[];
  /** An express-rate-limit store per limiter (to share limits across instances). Defaults to a memory counter. */
  readonly rateLimitStore?: RateLimitStoreFactory;
  /**
   * Where both limiters count, instead of `rateLimitStore`: e.g. `redisCounter`, which answers
   * both limits of a request in one round trip, or with `syncMs` none for busy clients far below
   * their limits (what the service uses with a Redis store).
   */
  readonly rateLimitCounter?: RateLimitCounterFactory;
  /**
   * `"inline"` runs the handlers before the answer; `"queue"` puts each verified event in a BullMQ
   * queue on `queueConnection` and answers 202 at once, workers running the handlers (README,
   * "Queue mode"). Defaults to `"inline"`.
   */
  readonly dispatch?: "inline" | "queue";
  /** The queue's Redis (`createRedisConnection`); required when `dispatch` is `"queue"`. */
  readonly queueConnection?: RedisConnection;
  /** BullMQ key prefix of the queue. Defaults to `"cwr:bull"`. */
  readonly queuePrefix?: string;
  /** Queue workers `startWorkers()` runs in this process (0: receive only). Defaults to 8. */
  readonly workerConcurrency?: number;
  /** Runs of a queued event before it is dead lettered. Defaults to 10. */
  readonly jobAttempts?: number;
  /** Wait before a queued event's first retry, doubling each time up to one hour. Defaults to 1000. */
  readonly jobBackoffMs?: number;
  /**
   * A running job's lock, renewed while its handler runs: a worker that dies mid-handler lets
   * the event run again (on another worker) about this long after. Defaults to 30000.
   */
  readonly jobLockMs?: number;
  /**
   * Fault-injection tests only: called after each step of queue mode's enqueue path
   * (`"claimed"`, `"queued"`, `"done"`), e.g. to kill the process there. Not for production use.
   */
  readonly afterEnqueueStep?: (step: "claimed" | "queued" | "done") => void;
  /**
   * Told of every answered delivery: headers, raw body, outcome, answer, duration (the dev
   * inspector uses it; docs/ARCHITECTURE.md, "Observing deliveries"). Defaults to none.
   */
  readonly observer?: DeliveryObserver;
  /** pino logger. Defaults to a silent one. */
  readonly logger?: Logger;
  /** prom-client registry for the receiver's metrics. Defaults to a new one. */
  readonly registry?: Registry;
  /** Time source. Defaults to the system clock. */
  readonly clock?: Clock;
}

/** Options after defaults and validation. */
export interface ReceiverConfig extends Readonly<Record<IntegerOption, number>> {
  readonly scheme: SchemeName;
  readonly keySource: KeySource;
  readonly replayStore: ReplayStore | undefined;
  /** Where rate-limit counts live (memory stores unless an option said otherwise). */
  readonly rateLimitCounter: RateLimitCounterFactory;
  /** The source allowlist; `undefined`: every source. */
  readonly allowlist: SourceAllowlist | undefined;
  /** Queue mode's connection and key prefix; `undefined` in inline mode. */
  readonly queue: { readonly connection: RedisConnection; readonly prefix: string } | undefined;
  readonly logger: Logger | undefined;
  readonly registry: Registry | undefined;
  readonly clock: Clock;
  readonly afterEnqueueStep: ReceiverOptions["afterEnqueueStep"];
  readonly observer: DeliveryObserver | undefined;
}

/**
 * Applies defaults and validates.
 * @throws ConfigError naming the option at fault
 */
export function resolveOptions(options: ReceiverOptions): ReceiverConfig {
  const scheme = options.scheme ?? "chatgpt";
  if (!SCHEME_NAMES.includes(scheme)) throw new ConfigError("scheme", `must be one of ${SCHEME_NAMES.join(", ")}`);
  const integers = {} as Record<IntegerOption, number>;
  for (const name of Object.keys(INTEGER_SETTINGS) as IntegerOption[]) {
    const setting = INTEGER_SETTINGS[name];
    integers[name] = checkInteger(setting, options[name] ?? setting.default, name);
  }
  return {
    ...integers,
    scheme,
    keySource: resolveKeySource(options, scheme),
    replayStore: options.replayStore,
    rateLimitCounter: resolveRateLimitCounter(options),
    allowlist: options.allowedSourceIps === undefined ? undefined : parseSourceAllowlist(options.allowedSourceIps, "allowedSourceIps"),
    queue: resolveQueue(options),
    logger: options.logger,
    registry: options.registry,
    clock: options.clock ?? systemClock,
    afterEnqueueStep: options.afterEnqueueStep,
    observer: options.observer,
  };
}

function resolveKeySource(options: ReceiverOptions, scheme: SchemeName): KeySource {
  if (options.secret !== undefined && options.keySource !== undefined) {
    throw new ConfigError("secret", "give either secret or keySource, not both");
  }
  if (options.keySource !== undefined) return options.keySource;
  if (options.secret === undefined) throw new ConfigError("secret", "a secret or a keySource is required");
  const secrets = typeof options.secret === "string" ? splitSecrets(options.secret) : [...options.secret];
  validateSecrets(secrets, scheme, "secret");
  return createStaticKeySource(secrets);
}

function resolveQueue(options: ReceiverOptions): ReceiverConfig["queue"] {
  const dispatch = options.dispatch ?? "inline";
  if (dispatch !== "inline" && dispatch !== "queue") throw new ConfigError("dispatch", 'must be "inline" or "queue"');
  if (dispatch === "inline") return undefined;
  if (options.queueConnection === undefined) throw new ConfigError("queueConnection", 'is required when dispatch is "queue" (createRedisConnection)');
  const prefix = options.queuePrefix ?? "cwr:bull";
  if (!/^[\w:.-]{1,64}$/.test(prefix)) throw new ConfigError("queuePrefix", "must be 1 to 64 of [A-Za-z0-9_:.-]");
  return { connection: options.queueConnection, prefix };
}

function resolveRateLimitCounter(options: ReceiverOptions): RateLimitCounterFactory {
  if (options.rateLimitStore !== undefined && options.rateLimitCounter !== undefined) {
    throw new ConfigError("rateLimitCounter", "give either rateLimitStore or rateLimitCounter, not both");
  }
  if (options.rateLimitStore !== undefined) return storeCounter(options.rateLimitStore);
  return options.rateLimitCounter ?? memoryCounter({ clock: options.clock ?? systemClock });
}
