// Token cache entries: when a token is refreshed ahead, when it is no longer handed out, and the cache key.

/** A cached token and its two deadlines (ms since the epoch, on the provider's clock). */
export interface CachedToken {
  readonly accessToken: string;
  /** From here on a background refresh starts; the token is still handed out. */
  readonly refreshAt: number;
  /** From here on callers wait for a new token. */
  readonly expiresAt: number;
}

/** Timing policy of {@link cacheEntry}. */
export interface TokenLifetimePolicy {
  readonly refreshMarginMs: number;
  readonly defaultLifetimeSeconds: number;
}

/**
 * Deadlines of a token obtained at `requestedAt` (the request START, so network time only
 * shortens the life we assume).
 * - Expiry skew: the token stops being handed out min(10 s, life / 10) before `expires_in`
 *   ends, so the key request it is used for (and modest clock skew with the key endpoint)
 *   still sees it valid.
 * - Refresh-ahead: from min(refreshMarginMs, life / 2) before the end, callers still get the
 *   cached token while one background request fetches the next. The 60 s default exceeds a
 *   typical retry budget, so a refresh that needs retries usually lands before expiry and
 *   no delivery ever waits on the token endpoint; half the life keeps short tokens useful.
 */
export function cacheEntry(accessToken: string, expiresInSeconds: number | undefined, requestedAt: number, policy: TokenLifetimePolicy): CachedToken {
  const lifeMs = Math.max(0, (expiresInSeconds ?? policy.defaultLifetimeSeconds) * 1000);
  const end = requestedAt + lifeMs;
  return {
    accessToken,
    expiresAt: end - Math.min(10_000, lifeMs / 10),
    refreshAt: end - Math.min(policy.refreshMarginMs, lifeMs / 2),
  };
}

/** Cache key: one token per (endpoint, client, scopes in any order, audience). */
export function tokenCacheKey(tokenEndpoint: string, clientId: string, scopes: readonly string[], audience: string | undefined): string {
  return JSON.stringify([tokenEndpoint, clientId, [...new Set(scopes)].sort(), audience ?? null]);
}
