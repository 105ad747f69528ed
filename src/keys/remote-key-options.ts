// Public options of the remote key source (README, "Configuration" and "Connecting to a real provider").
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Dispatcher } from "undici";
import type { Clock } from "../clock.js";
import type { HttpFetch } from "../http-client/http-client.js";
import type { TokenProvider } from "../oauth/token-provider.js";
import type { SchemeName } from "../signature/scheme.js";

/** Options of {@link createRemoteKeySource}. Every optional field says its default. */
export interface RemoteKeySourceOptions {
  /** `WEBHOOK_KEY_URL`. Must be https, except on a loopback host (or with `allowInsecureHttp`). */
  readonly keyUrl: string;
  /** Source of bearer tokens; `invalidate()` is called after a 401. Not closed by the source. */
  readonly tokenProvider: Pick<TokenProvider, "getToken" | "invalidate">;
  /**
   * The scheme the keys verify: in `standard` a served `whsec_` secret must be strict base64 of
   * at least 16 bytes, in `chatgpt` any secret of at least 16 UTF-8 bytes. Defaults to
   * `"standard"` (the stricter check).
   */
  readonly scheme?: SchemeName;
  /** `WEBHOOK_KEY_CACHE_SECONDS`: cache life when the response has no max-age. Defaults to 300. */
  readonly cacheSeconds?: number;
  /** `WEBHOOK_KEY_STALE_SECONDS`: how long past expiry cached keys serve while loads fail. Defaults to 3600. */
  readonly staleSeconds?: number;
  /** `WEBHOOK_KEY_REFRESH_MIN_SECONDS`: minimum gap between forced refreshes. Defaults to 10. */
  readonly refreshMinSeconds?: number;
  /** Per-request timeout of the key request. Defaults to 10000 ms. */
  readonly timeoutMs?: number;
  /**
   * Cap of the wait after failed loads with nothing cached (1 s, doubling per failure). It is
   * also the cap of the `Retry-After` told to senders meanwhile. Defaults to 30 s.
   */
  readonly maxFailureBackoffSeconds?: number;
  /** Allow http:// on a non-loopback host (sends the token in clear). Defaults to false. */
  readonly allowInsecureHttp?: boolean;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
  /** Defaults to a silent logger. */
  readonly logger?: Logger;
  /** Where `webhook_key_fetches_total` is registered. Defaults to none. */
  readonly registry?: Registry;
  /** Dispatcher to use instead of our own pooled Agent (not closed by us). */
  readonly dispatcher?: Dispatcher;
  /** Fetch to use instead of undici's (tests). */
  readonly fetch?: HttpFetch;
}
