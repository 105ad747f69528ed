// The remote-key settings of the service (README, "Configuration" and "Connecting to a real provider"): key endpoint, token endpoint, client auth.
import type { ClientAuthOptions } from "../oauth/options.js";
import { AUTH_FILE_VARIABLES, buildClientAuth, type AuthFileVariable, type ClientAuthSource } from "./client-auth-files.js";
import { oneOf, required, text, wholeNumber, type Env } from "./env-readers.js";
import { plainOrFile, readConfigFile } from "./secret-file.js";
import { contentHash } from "./watched-files.js";

/** Everything needed to build the token provider and the remote key source. */
export interface RemoteKeyConfig {
  readonly keyUrl: string;
  readonly cacheSeconds: number;
  readonly staleSeconds: number;
  readonly refreshMinSeconds: number;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly audience: string | undefined;
  readonly auth: ClientAuthOptions;
  /** Where `auth` came from, to build it again when a file changes. */
  readonly authSource: ClientAuthSource;
  /** Content hash of each file read for `auth`, by path. */
  readonly fileHashes: ReadonlyMap<string, string>;
}

const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth"] as const;
const ASSERTION_ALGS = ["RS256", "PS256", "ES256", "EdDSA"] as const;
const YEAR_SECONDS = 31_536_000;

function authSource(env: Env): ClientAuthSource {
  const method = oneOf(env, "CLIENT_AUTH_METHOD", AUTH_METHODS, "client_secret_basic");
  const secret = plainOrFile((name) => text(env, name), "CLIENT_SECRET");
  const files: Partial<Record<AuthFileVariable, string>> = {};
  for (const variable of AUTH_FILE_VARIABLES) {
    const path = text(env, variable);
    if (path !== undefined) files[variable] = path;
  }
  return {
    method,
    clientSecret: secret !== undefined && "value" in secret ? secret.value : undefined,
    alg: method === "private_key_jwt" ? oneOf(env, "CLIENT_ASSERTION_ALG", ASSERTION_ALGS, "RS256") : "RS256",
    keyId: text(env, "CLIENT_KEY_ID"),
    assertionAudience: text(env, "CLIENT_ASSERTION_AUDIENCE"),
    files,
  };
}

/**
 * The client authentication of `CLIENT_AUTH_METHOD` and its variables, files read once (the
 * forward's token client when it has no client of its own).
 * @throws ConfigError naming the variable at fault
 */
export function clientAuth(env: Env): ClientAuthOptions {
  return buildClientAuth(authSource(env), readConfigFile);
}

/**
 * Reads the remote-key settings; call only when `WEBHOOK_KEY_URL` is set.
 * @throws ConfigError naming the first variable at fault (secret values are never echoed)
 */
export function loadRemoteKeyConfig(env: Env): RemoteKeyConfig {
  const source = authSource(env);
  const fileHashes = new Map<string, string>();
  const auth = buildClientAuth(source, (variable, path) => {
    const content = readConfigFile(variable, path);
    fileHashes.set(path, contentHash(content));
    return content;
  });
  const scopes = (text(env, "TOKEN_SCOPES") ?? "webhooks:verify").split(/\s+/).filter((scope) => scope !== "");
  return {
    keyUrl: required(env, "WEBHOOK_KEY_URL", ""),
    cacheSeconds: wholeNumber(env, "WEBHOOK_KEY_CACHE_SECONDS", { min: 1, max: YEAR_SECONDS, default: 300 }),
    staleSeconds: wholeNumber(env, "WEBHOOK_KEY_STALE_SECONDS", { min: 0, max: YEAR_SECONDS, default: 3600 }),
    refreshMinSeconds: wholeNumber(env, "WEBHOOK_KEY_REFRESH_MIN_SECONDS", { min: 0, max: YEAR_SECONDS, default: 10 }),
    tokenEndpoint: required(env, "TOKEN_ENDPOINT", "with WEBHOOK_KEY_URL"),
    clientId: required(env, "CLIENT_ID", "with WEBHOOK_KEY_URL"),
    scopes,
    audience: text(env, "TOKEN_AUDIENCE"),
    auth,
    authSource: source,
    fileHashes,
  };
}
