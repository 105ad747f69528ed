// The remote key source: provider keys cached with stale-if-error, single-flight, rate-limited forced refresh.
import pino from "pino";
import { exponentialDelayMs } from "../backoff.js";
import { systemClock } from "../clock.js";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import { createHttpClient } from "../http-client/http-client.js";
import { isInsecureAllowed } from "../http-client/loopback.js";
import type { KeySource, KeySourceReadiness, VerificationKey } from "./key-source.js";
import { loadKeys } from "./load-keys.js";
import type { LoadedKeys } from "./load-keys.js";
import { servesStaleAfter } from "./stale-policy.js";
import { createKeyMetrics } from "./metrics.js";
import type { RemoteKeySourceOptions } from "./remote-key-options.js";

export type { RemoteKeySourceOptions } from "./remote-key-options.js";

/** Shortest cache life, even for `no-store` / `max-age=0`: keeps `getKeys` synchronous under load. */
const MIN_CACHE_MS = 1000;

interface CacheState {
  readonly keys: readonly VerificationKey[];
  readonly expiries: readonly (number | undefined)[];
  readonly freshUntil: number;
  readonly staleUntil: number;
}

/** A {@link KeySource} over the provider's key endpoint, with a start-up hook. */
export interface RemoteKeySource extends KeySource {
  /**
   * Reloads once after a mismatch (single-flight, at most one per `refreshMinSeconds`).
   * @throws DeliveryFailedError `verification_key_unavailable` (with `retryAfterSeconds`) when no
   * reload could be done: throttled, or the provider failed. The delivery could not be checked
   * against the newest keys, so it is neither accepted nor called forged.
   */
  refreshAfterMismatch(): Promise<readonly VerificationKey[]>;
  /** Loads keys now (e.g. at start-up); resolves `true` when keys were obtained. Never rejects. */
  warmUp(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Creates the `remote` key source of README, "Connecting to a real provider". `getKeys()` returns the cached array
 * synchronously while fresh (cache life: max-age, else `cacheSeconds`, never past a key's
 * `expires_at`). Past that, stale keys keep serving (and one background reload starts) for up
 * to `staleSeconds` while the provider is unreachable, slow, failing (5xx, 429) or serving
 * malformed keys; with nothing usable, callers await one shared load. A well-formed answer
 * that lists no current key is authoritative: it replaces the cache, and `getKeys` throws
 * `verification_key_unavailable` (reloading at most every `refreshMinSeconds`) until keys return.
 * @throws ConfigError (`WEBHOOK_KEY_URL`) for an http:// URL on a non-loopback host.
 */
export function createRemoteKeySource(options: RemoteKeySourceOptions): RemoteKeySource {
  isInsecureAllowed(options.keyUrl, options.allowInsecureHttp ?? false, "WEBHOOK_KEY_URL");
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? pino({ enabled: false })).child({ component: "key-source" });
  const http = createHttpClient({ dispatcher: options.dispatcher, fetch: options.fetch });
  const closing = new AbortController();
  const cacheMs = (options.cacheSeconds ?? 300) * 1000;
  const staleMs = (options.staleSeconds ?? 3600) * 1000;
  const refreshMinMs = (options.refreshMinSeconds ?? 10) * 1000;
  const maxBackoffMs = (options.maxFailureBackoffSeconds ?? 30) * 1000;
  const deps = {
    keyUrl: options.keyUrl,
    tokenProvider: options.tokenProvider,
    fetch: http.fetch,
    clock,
    decodesWhsec: (options.scheme ?? "standard") === "standard",
    timeoutMs: options.timeoutMs ?? 10_000,
    closed: closing.signal,
    record: createKeyMetrics(options.registry),
  };
  let cache: CacheState | undefined;
  let inflight: Promise<boolean> | undefined;
  let lastForcedAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let retryAt = 0;
  let lastError: string | undefined;
  let lastFailure: Error | undefined;

  function store(loaded: LoadedKeys, now: number): void {
    const life = Math.max(MIN_CACHE_MS, loaded.maxAgeSeconds === undefined ? cacheMs : loaded.maxAgeSeconds * 1000);
    const revoked = loaded.keys.length === 0;
    // No current key: ask again after the forced-refresh gap, so new keys are seen soon.
    const until = revoked ? now + Math.min(life, Math.max(MIN_CACHE_MS, refreshMinMs)) : now + life;
    const freshUntil = Math.max(now + MIN_CACHE_MS, Math.min(until, loaded.earliestExpiry ?? Number.POSITIVE_INFINITY));
    cache = { keys: loaded.keys, expiries: loaded.expiries, freshUntil, staleUntil: revoked ? freshUntil : freshUntil + staleMs };
    failures = 0;
    retryAt = 0;
    lastError = undefined;
    lastFailure = undefined;
    if (revoked) logger.warn({ freshForMs: freshUntil - now }, "the key endpoint lists no current key: deliveries get 503 until it does");
    else logger.info({ keys: loaded.keys.map((k) => k.id ?? "(unnamed)"), freshForMs: freshUntil - now }, "verification keys loaded");
  }

  function load(): Promise<boolean> {
    inflight ??= loadKeys(deps)
      .then((loaded) => {
        store(loaded, clock.now());
        return true;
      })
      .catch((error: unknown) => {
        const e = error as { code?: string; status?: number };
        lastError = e.code ?? "unknown_error";
        lastFailure = error instanceof Error ? error : undefined;
        failures++;
        retryAt = clock.now() + exponentialDelayMs(failures - 1, 1000, maxBackoffMs);
        // The provider answered "no" (401 to a fresh token, 403, 404...): keys serve while fresh, never stale.
        if (cache && !servesStaleAfter(error)) cache = { ...cache, staleUntil: Math.min(cache.staleUntil, cache.freshUntil) };
        logger.warn({ code: lastError, status: e.status, cached: cache !== undefined }, "verification key load failed");
        return false;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  function unavailable(until = retryAt): DeliveryFailedError {
    const waitMs = Math.max(1000, until - clock.now());
    return new DeliveryFailedError(ErrorCode.VERIFICATION_KEY_UNAVAILABLE, "no verification key is available; retry later", {
      retryAfterSeconds: Math.ceil(waitMs / 1000),
      ...(lastFailure ? { cause: lastFailure } : {}), // a KeyEndpointError: codes only, no token or key
    });
  }

  /** The answer while the provider lists no current key: retry once it may have new ones. */
  function revokedUntil(freshUntil: number): never {
    throw unavailable(freshUntil);
  }

  async function loadOrThrow(): Promise<readonly VerificationKey[]> {
    if (closing.signal.aborted || (!inflight && clock.now() < retryAt)) throw unavailable();
    const ok = await load();
    if (ok && cache) return cache.keys.length > 0 ? cache.keys : revokedUntil(cache.freshUntil);
    throw unavailable();
  }

  return {
    getKeys() {
      const now = clock.now();
      const current = cache;
      if (current && now < current.freshUntil) return current.keys.length > 0 ? current.keys : revokedUntil(current.freshUntil);
      if (current && now < current.staleUntil) {
        if (!inflight && now >= retryAt && !closing.signal.aborted) void load();
        const usable = current.keys.filter((_, i) => (current.expiries[i] ?? Number.POSITIVE_INFINITY) > now);
        if (usable.length > 0) return usable;
      }
      return loadOrThrow();
    },
    async refreshAfterMismatch() {
      if (closing.signal.aborted) throw unavailable();
      if (!inflight) {
        const now = clock.now();
        if (now - lastForcedAt < refreshMinMs) throw unavailable(lastForcedAt + refreshMinMs);
        lastForcedAt = now;
      }
      if (!(await load()) || cache === undefined) throw unavailable();
      return cache.keys.length > 0 ? cache.keys : revokedUntil(cache.freshUntil);
    },
    readiness(): KeySourceReadiness {
      if (cache && cache.keys.length === 0 && clock.now() < cache.freshUntil) {
        return { ready: false, reason: "the key endpoint lists no current verification key" };
      }
      if (cache && clock.now() < cache.staleUntil) return { ready: true };
      const why = lastError ? ` (last error: ${lastError})` : "";
      if (!cache) return { ready: false, reason: `no verification key obtained from the key endpoint yet${why}` };
      return { ready: false, reason: `cached verification keys expired more than ${staleMs / 1000} s ago${why}` };
    },
    warmUp: () => load(),
    async close() {
      closing.abort();
      await inflight;
      await http.close();
    },
  };
}
