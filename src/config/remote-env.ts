// The remote-key settings of the service (README, "Configuration" and "Connecting to a real provider"): key endpoint, token endpoint, client auth.
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { oneOf, required, text, wholeNumber, type Env } from "./env-readers.js";
import type { ClientAuthOptions, PrivateKeyJwtAuth } from "../oauth/options.js";

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
}

const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth"] as const;
const ASSERTION_ALGS = ["RS256", "PS256", "ES256", "EdDSA"] as const;
const YEAR_SECONDS = 31_536_000;

function pemFile(env: Env, name: string, why: string): string {
  const path = required(env, name, why);
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(name, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "read error"})`);
  }
}

/** The client authentication of `CLIENT_AUTH_METHOD` and its variables. @throws ConfigError naming the variable at fault */
export function clientAuth(env: Env): ClientAuthOptions {
  const method = oneOf(env, "CLIENT_AUTH_METHOD", AUTH_METHODS, "client_secret_basic");
  const why = `with CLIENT_AUTH_METHOD=${method}`;
  switch (method) {
    case "client_secret_basic":
    case "client_secret_post":
      return { method, clientSecret: required(env, "CLIENT_SECRET", why) };
    case "private_key_jwt": {
      const auth: PrivateKeyJwtAuth = {
        method,
        privateKeyPem: pemFile(env, "CLIENT_PRIVATE_KEY_FILE", why),
        alg: oneOf(env, "CLIENT_ASSERTION_ALG", ASSERTION_ALGS, "RS256"),
        keyId: text(env, "CLIENT_KEY_ID"),
        assertionAudience: text(env, "CLIENT_ASSERTION_AUDIENCE"),
      };
      return auth;
    }
    case "tls_client_auth":
      return {
        method,
        certPem: pemFile(env, "CLIENT_CERT_FILE", why),
        keyPem: pemFile(env, "CLIENT_KEY_FILE", why),
        caPem: text(env, "CA_FILE") === undefined ? undefined : pemFile(env, "CA_FILE", why),
      };
  }
}

/**
 * Reads the remote-key settings; call only when `WEBHOOK_KEY_URL` is set.
 * @throws ConfigError naming the first variable at fault (secret values are never echoed)
 */
export function loadRemoteKeyConfig(env: Env): RemoteKeyConfig {
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
    auth: clientAuth(env),
  };
}
