// The forwarding settings of the service (README, "Forwarding to an internal service"): target, types, token, signing.
import { ConfigError } from "../errors.js";
import { isInsecureAllowed } from "../http-client/loopback.js";
import type { ClientAuthOptions } from "../oauth/options.js";
import { oneOf, required, text, wholeNumber, type Env } from "./env-readers.js";
import { clientAuth } from "./remote-env.js";
import { secretProblem } from "../signature/secret-rules.js";

/** Everything the built-in forward handler needs. */
export interface ForwardConfig {
  /** `FORWARD_URL`: https, or http on a loopback host or with `FORWARD_ALLOW_HTTP=true`. */
  readonly url: string;
  /** `FORWARD_TYPES`: exact types or prefixes ending in `.*`; empty = every event. */
  readonly types: readonly string[];
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly audience: string | undefined;
  readonly auth: ClientAuthOptions;
  /** `FORWARD_SIGNING_SECRET` (`whsec_...`): Standard Webhooks headers on each forwarded request. */
  readonly signingSecret: string | undefined;
  /** `FORWARD_TIMEOUT_MS`: one forwarded request, headers and body. */
  readonly timeoutMs: number;
}

const TYPE_PATTERN = /^[\w-]+(\.[\w-]+)*(\.\*)?$/;

function forwardTypes(env: Env): readonly string[] {
  const raw = text(env, "FORWARD_TYPES");
  if (raw === undefined) return [];
  const types = raw.split(",").map((type) => type.trim()).filter((type) => type !== "");
  for (const type of types) {
    if (!TYPE_PATTERN.test(type)) throw new ConfigError("FORWARD_TYPES", `"${type}" is not an event type or a prefix like batch.* (comma-separated)`);
  }
  return types;
}

function forwardAuth(env: Env): { readonly clientId: string; readonly auth: ClientAuthOptions } {
  const ownId = text(env, "FORWARD_CLIENT_ID");
  if (ownId === undefined) {
    if (text(env, "FORWARD_CLIENT_SECRET") !== undefined) throw new ConfigError("FORWARD_CLIENT_SECRET", "is set without FORWARD_CLIENT_ID");
    return { clientId: required(env, "CLIENT_ID", "with FORWARD_URL (or set FORWARD_CLIENT_ID)"), auth: clientAuth(env) };
  }
  const method = oneOf(env, "FORWARD_CLIENT_AUTH_METHOD", ["client_secret_basic", "client_secret_post"], "client_secret_basic");
  return { clientId: ownId, auth: { method, clientSecret: required(env, "FORWARD_CLIENT_SECRET", "with FORWARD_CLIENT_ID") } };
}

function signingSecret(env: Env): string | undefined {
  const secret = text(env, "FORWARD_SIGNING_SECRET");
  if (secret === undefined) return undefined;
  // Never echo the value: only what is wrong with it.
  if (!secret.startsWith("whsec_")) throw new ConfigError("FORWARD_SIGNING_SECRET", "must be a Standard Webhooks secret (whsec_ followed by base64)");
  const problem = secretProblem(secret, true);
  if (problem !== undefined) throw new ConfigError("FORWARD_SIGNING_SECRET", problem);
  return secret;
}

/**
 * Reads the forwarding settings, or `undefined` when `FORWARD_URL` is unset.
 * @throws ConfigError naming the first variable at fault (secret values are never echoed)
 */
export function loadForwardConfig(env: Env): ForwardConfig | undefined {
  const url = text(env, "FORWARD_URL");
  if (url === undefined) return undefined;
  const allowHttp = oneOf(env, "FORWARD_ALLOW_HTTP", ["true", "false"], "false") === "true";
  isInsecureAllowed(url, allowHttp, "FORWARD_URL");
  const tokenEndpoint = text(env, "FORWARD_TOKEN_ENDPOINT") ?? required(env, "TOKEN_ENDPOINT", "with FORWARD_URL (or set FORWARD_TOKEN_ENDPOINT)");
  isInsecureAllowed(tokenEndpoint, false, text(env, "FORWARD_TOKEN_ENDPOINT") === undefined ? "TOKEN_ENDPOINT" : "FORWARD_TOKEN_ENDPOINT");
  return {
    url,
    types: forwardTypes(env),
    tokenEndpoint,
    ...forwardAuth(env),
    scopes: (text(env, "FORWARD_TOKEN_SCOPES") ?? "").split(/\s+/).filter((scope) => scope !== ""),
    audience: text(env, "FORWARD_TOKEN_AUDIENCE"),
    signingSecret: signingSecret(env),
    timeoutMs: wholeNumber(env, "FORWARD_TIMEOUT_MS", { min: 1, max: 3_600_000, default: 5_000 }),
  };
}
