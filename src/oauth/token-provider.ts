// The token policy around oauth4webapi: cache, refresh-ahead, single-flight, retries, scope check, metrics.
import pino from "pino";
import { systemClock } from "../clock.js";
import { createClientAuth } from "./client-auth.js";
import { TokenError, TokenErrorCode } from "./errors.js";
import { createHttpClient, type HttpClient } from "../http-client/http-client.js";
import { isInsecureAllowed } from "../http-client/loopback.js";
import { createTokenMetrics } from "./metrics.js";
import type { TokenOutcome } from "./metrics.js";
import type { ClientAuthOptions, TokenProviderOptions } from "./options.js";
import { realSleep, withRetries } from "./retry.js";
import { cacheEntry, tokenCacheKey } from "./token-cache.js";
import type { CachedToken } from "./token-cache.js";
import { requestToken } from "./token-request.js";
import type { TokenRequestContext } from "./token-request.js";

/** Hands out access tokens for one (endpoint, client, scopes, audience). */
export interface TokenProvider {
  /**
   * A valid access token: cached, or fetched once for all concurrent callers.
   * @throws TokenError with the RFC 6749 `error` code, or a {@link TokenErrorCode}.
   */
  getToken(): Promise<string>;
  /**
   * Drops the cached token (e.g. after a 401 from a resource server). With `token`, only when the
   * cache still holds that one: concurrent callers rejected with the same token fetch one new token.
   */
  invalidate(token?: string): void;
  /**
   * Authenticates the next token requests with `auth` (a re-read secret, key or certificate file).
   * New TLS material gets a new connection pool; the old one closes once its requests are done.
   * Tokens already issued stay cached until they expire.
   * @throws ConfigError when the key is unusable (the previous authentication stays)
   */
  updateAuth(auth: ClientAuthOptions): void;
  /** Aborts in-flight requests and closes the connection pool. */
  close(): Promise<void>;
}

/**
 * Creates a client-credentials token provider (README, "Connecting to a real provider"). Defaults: 10 s per-attempt
 * timeout, 3 retries within 30 s total (200 ms base, 5 s cap, full jitter), refresh 60 s ahead,
 * 300 s life when the server sends no `expires_in`.
 * @throws ConfigError when the endpoint is http:// on a non-loopback host or the key is unusable.
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? pino({ enabled: false })).child({ component: "token-provider" });
  const metrics = createTokenMetrics(options.registry, options.metricsClient);
  const httpFor = (auth: ClientAuthOptions): HttpClient =>
    createHttpClient({ tls: auth.method === "tls_client_auth" ? auth : undefined, dispatcher: options.dispatcher, fetch: options.fetch });
  let http = httpFor(options.auth);
  let ctx: TokenRequestContext = {
    tokenEndpoint: options.tokenEndpoint,
    clientId: options.clientId,
    scopes: options.scopes,
    audience: options.audience,
    clientAuth: createClientAuth(options.auth, options.tokenEndpoint),
    fetch: http.fetch,
    allowInsecure: isInsecureAllowed(options.tokenEndpoint, options.allowInsecureHttp ?? false),
  };
  const lifetime = { refreshMarginMs: options.refreshMarginMs ?? 60_000, defaultLifetimeSeconds: options.defaultLifetimeSeconds ?? 300 };
  const key = tokenCacheKey(options.tokenEndpoint, options.clientId, options.scopes, options.audience);
  const cache = new Map<string, CachedToken>();
  const closing = new AbortController();
  let inflight: Promise<string> | undefined;

  async function attempt(signal: AbortSignal): Promise<string> {
    const startedAt = clock.now();
    const started = performance.now();
    let outcome: TokenOutcome = "success";
    try {
      const granted = await requestToken(ctx, signal, startedAt);
      const missing = options.scopes.filter((s) => granted.scope !== undefined && !granted.scope.includes(s));
      if (missing.length > 0) {
        throw new TokenError(TokenErrorCode.INSUFFICIENT_SCOPE, `granted scope lacks: ${missing.join(" ")}`);
      }
      cache.set(key, cacheEntry(granted.accessToken, granted.expiresInSeconds, startedAt, lifetime));
      logger.debug({ expiresIn: granted.expiresInSeconds, scope: granted.scope?.join(" ") }, "access token obtained");
      return granted.accessToken;
    } catch (error) {
      outcome = classify(error);
      throw error;
    } finally {
      metrics.observe(outcome, (performance.now() - started) / 1000);
    }
  }

  function fetchToken(): Promise<string> {
    inflight ??= withRetries(attempt, {
      maxRetries: options.maxRetries ?? 3,
      maxTotalMs: options.maxTotalMs ?? 30_000,
      baseDelayMs: options.baseDelayMs ?? 200,
      maxDelayMs: 5_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      now: () => clock.now(),
      random: options.random ?? Math.random,
      sleep: options.sleep ?? realSleep,
      closed: closing.signal,
      onRetry: (error, retry, delayMs) => logger.warn({ code: error.code, status: error.status, retry, delayMs }, "token request failed, retrying"),
    })
      .catch((error: unknown) => {
        const e = error as TokenError;
        logger.error({ code: e.code, status: e.status }, "token request failed");
        throw error;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  return {
    getToken() {
      if (closing.signal.aborted) return Promise.reject(new TokenError(TokenErrorCode.TOKEN_PROVIDER_CLOSED, "token provider closed"));
      const now = clock.now();
      const cached = cache.get(key);
      if (cached && now < cached.expiresAt) {
        if (now >= cached.refreshAt && !inflight) {
          fetchToken().catch(() => undefined); // refresh-ahead: failure is logged, the cached token still serves
        }
        return Promise.resolve(cached.accessToken);
      }
      return fetchToken();
    },
    invalidate(token) {
      if (token === undefined || cache.get(key)?.accessToken === token) cache.delete(key);
    },
    updateAuth(auth) {
      const clientAuth = createClientAuth(auth, options.tokenEndpoint);
      const previous = http;
      if (auth.method === "tls_client_auth") http = httpFor(auth);
      ctx = { ...ctx, clientAuth, fetch: http.fetch };
      if (previous !== http) void previous.close().catch(() => undefined);
    },
    async close() {
      closing.abort();
      await http.close();
    },
  };
}

function classify(error: unknown): TokenOutcome {
  if (!(error instanceof TokenError)) return "network_error";
  if (error.code === TokenErrorCode.INSUFFICIENT_SCOPE) return "insufficient_scope";
  if (error.code === TokenErrorCode.TOKEN_REQUEST_TIMEOUT) return "timeout";
  if (error.code === TokenErrorCode.INVALID_TOKEN_RESPONSE) return "invalid_response";
  if (error.status !== undefined && (error.status >= 500 || error.status === 429)) return "server_error";
  if (error.code === TokenErrorCode.TOKEN_REQUEST_FAILED) return "network_error";
  return "oauth_error";
}
