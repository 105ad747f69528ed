// The service's configuration from environment variables (README, "Configuration"), validated once at start.
import { ConfigError } from "../errors.js";
import { oneOf, text, wholeNumber, type Env } from "./env-readers.js";
import type { SchemeName } from "../signature/scheme.js";
import { SCHEME_NAMES } from "../signature/schemes.js";
import { LOG_FORMATS, type LogFormat } from "../observability/logger.js";
import { INTEGER_SETTINGS, type IntegerOption } from "./limits.js";
import { loadForwardConfig, type ForwardConfig } from "./forward-env.js";
import { loadRemoteKeyConfig, type RemoteKeyConfig } from "./remote-env.js";
import { plainOrFile, readConfigFile } from "./secret-file.js";
import { splitSecrets, validateSecrets, webhookSecretsFromFile } from "./secrets.js";
import { contentHash } from "./watched-files.js";
import { parseTrustProxy, type TrustProxy } from "./trust-proxy.js";
import { parseSourceAllowlist } from "../receiver/source-allowlist.js";

/** The environment variable of each numeric option. */
const INTEGER_VARIABLES: Readonly<Record<IntegerOption, string>> = {
  toleranceSeconds: "WEBHOOK_TOLERANCE_SECONDS",
  maxBodyBytes: "WEBHOOK_MAX_BODY_BYTES",
  handlerTimeoutMs: "HANDLER_TIMEOUT_MS",
  replayMaxEntries: "REPLAY_MAX_ENTRIES",
  replayRetentionSeconds: "REPLAY_RETENTION_SECONDS",
  rateLimitPerMinute: "RATE_LIMIT_PER_MINUTE",
  rateLimitFailuresPerMinute: "RATE_LIMIT_FAILURES_PER_MINUTE",
  workerConcurrency: "WORKER_CONCURRENCY",
  jobAttempts: "JOB_ATTEMPTS",
  jobBackoffMs: "JOB_BACKOFF_MS",
  jobLockMs: "JOB_LOCK_MS",
};

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Static secrets (`WEBHOOK_SECRET`, or `WEBHOOK_SECRET_FILE` with its path and content hash). */
export interface StaticKeyConfig {
  readonly kind: "static";
  readonly secrets: readonly string[];
  readonly file: { readonly path: string; readonly hash: string } | undefined;
}

/** The service configuration. */
export interface ServiceConfig extends Readonly<Record<IntegerOption, number>> {
  readonly host: string;
  readonly port: number;
  /** The separate listener of /healthz, /readyz and /metrics (`OPS_PORT`, `OPS_HOST`), when set. */
  readonly ops: { readonly host: string; readonly port: number } | undefined;
  readonly path: string;
  readonly scheme: SchemeName;
  /** Static secrets (`WEBHOOK_SECRET`) or the remote key flow (`WEBHOOK_KEY_URL`): exactly one. */
  readonly keys: StaticKeyConfig | ({ readonly kind: "remote" } & RemoteKeyConfig);
  /** `memory` (one instance) or a Redis URL (replay store and rate limits shared by instances). */
  readonly replayStore: { readonly kind: "memory" } | { readonly kind: "redis"; readonly url: string; readonly keyPrefix: string };
  /**
   * `inline` (handlers run before the answer) or `queue` (`DISPATCH=queue`: BullMQ on the Redis of
   * `QUEUE_URL`, which defaults to `REPLAY_STORE` when that is a Redis URL).
   */
  readonly dispatch: { readonly kind: "inline" } | { readonly kind: "queue"; readonly url: string; readonly keyPrefix: string };
  readonly handlersModule: string | undefined;
  /** The built-in forward handler (`FORWARD_URL` and its settings), when set. */
  readonly forward: ForwardConfig | undefined;
  /** Express `trust proxy`: a hop count or an address / CIDR list (`true` is refused). */
  readonly trustProxy: TrustProxy | undefined;
  /** `ALLOWED_SOURCE_IPS`: addresses and CIDR blocks allowed to deliver (validated); `undefined`: every source. */
  readonly allowedSourceIps: readonly string[] | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** `LOG_FORMAT`, when set; unset lets the command choose (README, "Operations"). */
  readonly logFormat: LogFormat | undefined;
  /**
   * `RATE_LIMIT_SYNC_MS`: with a Redis `REPLAY_STORE`, how often counts kept locally (clients
   * below half of each limit) are added to the shared ones; 0 counts every request in Redis.
   */
  readonly rateLimitSyncMs: number;
}

/** Bounds of `RATE_LIMIT_SYNC_MS` (README, "Configuration"). */
export const RATE_LIMIT_SYNC_MS = { min: 0, max: 10_000, default: 100 } as const;

function integer(env: Env, option: IntegerOption): number {
  return wholeNumber(env, INTEGER_VARIABLES[option], INTEGER_SETTINGS[option]);
}

function opsListener(env: Env): ServiceConfig["ops"] {
  if (text(env, "OPS_PORT") === undefined) return undefined;
  return { host: text(env, "OPS_HOST") ?? "127.0.0.1", port: wholeNumber(env, "OPS_PORT", { min: 0, max: 65_535, default: 0 }) };
}

function isRedisUrl(raw: string): boolean {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
}

function redisKeyPrefix(env: Env): string {
  const keyPrefix = text(env, "REDIS_KEY_PREFIX") ?? "cwr:";
  if (!/^[\w:.-]{1,64}$/.test(keyPrefix)) throw new ConfigError("REDIS_KEY_PREFIX", `must be 1 to 64 of [A-Za-z0-9_:.-] (got "${keyPrefix}")`);
  return keyPrefix;
}

function replayStore(env: Env): ServiceConfig["replayStore"] {
  const raw = text(env, "REPLAY_STORE") ?? "memory";
  if (raw === "memory") return { kind: "memory" };
  // The value may hold a password: name the variable, never echo it.
  if (!isRedisUrl(raw)) throw new ConfigError("REPLAY_STORE", 'must be "memory" or a redis:// (or rediss://) URL');
  return { kind: "redis", url: raw, keyPrefix: redisKeyPrefix(env) };
}

function dispatch(env: Env, store: ServiceConfig["replayStore"]): ServiceConfig["dispatch"] {
  if (oneOf(env, "DISPATCH", ["inline", "queue"], "inline") === "inline") return { kind: "inline" };
  return { kind: "queue", ...queueLocation(env, store, "with DISPATCH=queue") };
}

function queueLocation(env: Env, store: ServiceConfig["replayStore"], when: string): { readonly url: string; readonly keyPrefix: string } {
  const raw = text(env, "QUEUE_URL") ?? (store.kind === "redis" ? store.url : undefined);
  if (raw === undefined) throw new ConfigError("QUEUE_URL", `is required ${when} unless REPLAY_STORE is a redis:// URL`);
  if (!isRedisUrl(raw)) throw new ConfigError("QUEUE_URL", "must be a redis:// (or rediss://) URL");
  return { url: raw, keyPrefix: redisKeyPrefix(env) };
}

/**
 * Where the queue lives, read as `serve` reads it (`QUEUE_URL`, else a Redis `REPLAY_STORE`;
 * `REDIS_KEY_PREFIX`), whatever `DISPATCH` says: for the `events` commands, which need nothing else.
 * @throws ConfigError `QUEUE_URL`, `REPLAY_STORE` or `REDIS_KEY_PREFIX`
 */
export function loadQueueLocation(env: Env): { readonly url: string; readonly keyPrefix: string } {
  return queueLocation(env, replayStore(env), "for the events commands");
}

function loadKeys(env: Env, scheme: SchemeName): ServiceConfig["keys"] {
  const secret = plainOrFile((name) => text(env, name), "WEBHOOK_SECRET");
  const keyUrl = text(env, "WEBHOOK_KEY_URL");
  const secretVariable = secret !== undefined && "path" in secret ? "WEBHOOK_SECRET_FILE" : "WEBHOOK_SECRET";
  if (secret !== undefined && keyUrl !== undefined) {
    throw new ConfigError(secretVariable, `set either ${secretVariable} (static secrets) or WEBHOOK_KEY_URL (remote keys), not both`);
  }
  if (keyUrl !== undefined) return { kind: "remote", ...loadRemoteKeyConfig(env) };
  if (secret === undefined) {
    throw new ConfigError("WEBHOOK_SECRET", "is required unless WEBHOOK_SECRET_FILE or WEBHOOK_KEY_URL is set (one or more secrets, comma-separated)");
  }
  if ("value" in secret) {
    const secrets = splitSecrets(secret.value);
    validateSecrets(secrets, scheme, "WEBHOOK_SECRET");
    return { kind: "static", secrets, file: undefined };
  }
  const content = readConfigFile("WEBHOOK_SECRET_FILE", secret.path);
  return { kind: "static", secrets: webhookSecretsFromFile(content, scheme), file: { path: secret.path, hash: contentHash(content) } };
}

function allowedSourceIps(env: Env): readonly string[] | undefined {
  const raw = text(env, "ALLOWED_SOURCE_IPS");
  return raw === undefined ? undefined : parseSourceAllowlist(raw, "ALLOWED_SOURCE_IPS").entries;
}

/**
 * Reads and validates the service configuration.
 * @throws ConfigError naming the first variable at fault (secrets are never echoed)
 */
export function loadServiceConfig(env: Env): ServiceConfig {
  const scheme = oneOf(env, "WEBHOOK_SCHEME", SCHEME_NAMES, "chatgpt");
  const path = text(env, "WEBHOOK_PATH") ?? "/webhooks/chatgpt";
  if (!/^\/[\w\-./~]*$/.test(path)) throw new ConfigError("WEBHOOK_PATH", `must be a URL path starting with / (got "${path}")`);
  const keys = loadKeys(env, scheme);
  const trustProxyText = text(env, "TRUST_PROXY");
  const integers = {} as Record<IntegerOption, number>;
  for (const option of Object.keys(INTEGER_VARIABLES) as IntegerOption[]) integers[option] = integer(env, option);
  const store = replayStore(env);
  return {
    ...integers,
    host: text(env, "HOST") ?? "0.0.0.0",
    port: wholeNumber(env, "PORT", { min: 0, max: 65_535, default: 8080 }),
    ops: opsListener(env),
    path,
    scheme,
    keys,
    replayStore: store,
    dispatch: dispatch(env, store),
    handlersModule: text(env, "HANDLERS"),
    forward: loadForwardConfig(env),
    trustProxy: trustProxyText === undefined ? undefined : parseTrustProxy(trustProxyText, "TRUST_PROXY"),
    allowedSourceIps: allowedSourceIps(env),
    rateLimitSyncMs: wholeNumber(env, "RATE_LIMIT_SYNC_MS", RATE_LIMIT_SYNC_MS),
    logLevel: oneOf(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    logFormat: text(env, "LOG_FORMAT") === undefined ? undefined : oneOf(env, "LOG_FORMAT", LOG_FORMATS, "json"),
  };
}
