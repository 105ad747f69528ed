// Public options of the token provider, and their resolution into a complete configuration.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Dispatcher } from "undici";
import type { Clock } from "../clock.js";
import type { HttpFetch } from "../http-client/http-client.js";

/** `client_secret_basic` (RFC 6749 section 2.3.1) or `client_secret_post`. */
export interface ClientSecretAuth {
  readonly method: "client_secret_basic" | "client_secret_post";
  readonly clientSecret: string;
}

/** `private_key_jwt` (RFC 7523): a signed assertion with iss = sub = client id, unique jti, exp 60 s. */
export interface PrivateKeyJwtAuth {
  readonly method: "private_key_jwt";
  /** PEM private key (PKCS#8, PKCS#1 or SEC1). */
  readonly privateKeyPem: string;
  /** `kid` header of the assertion. Defaults to none. */
  readonly keyId?: string;
  readonly alg: "RS256" | "PS256" | "ES256" | "EdDSA";
  /** Assertion `aud`. Defaults to the token endpoint URL. */
  readonly assertionAudience?: string;
}

/** `tls_client_auth` (RFC 8705 section 2.1): the client certificate goes on the TLS connection. */
export interface TlsClientAuthOptions {
  readonly method: "tls_client_auth";
  readonly certPem: string;
  readonly keyPem: string;
  /** `CA_FILE`: CA certificates trusted in addition to the system CAs. Defaults to none. */
  readonly caPem?: string;
}

/** How the client authenticates at the token endpoint (README, "Connecting to a real provider"). */
export type ClientAuthOptions = ClientSecretAuth | PrivateKeyJwtAuth | TlsClientAuthOptions;

/** Options of {@link createTokenProvider}. Every optional field says its default. */
export interface TokenProviderOptions {
  /** `TOKEN_ENDPOINT`. Must be https, except on a loopback host (or with `allowInsecureHttp`). */
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /** Required scopes, sent as `scope` and checked against the granted `scope`. */
  readonly scopes: readonly string[];
  /** RFC 8707 `resource`. Defaults to none. */
  readonly audience?: string;
  readonly auth: ClientAuthOptions;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
  /** Defaults to a silent logger. */
  readonly logger?: Logger;
  /** Where the metrics are registered. Defaults to none (metrics not collected). */
  readonly registry?: Registry;
  /** The `client` label of the token metrics, to tell providers apart (`keys`, `forward`). Defaults to none. */
  readonly metricsClient?: string;
  /** Per-attempt timeout. Defaults to 10000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Defaults to 3. */
  readonly maxRetries?: number;
  /** Bound on the whole request including retries and waits. Defaults to 30000 ms. */
  readonly maxTotalMs?: number;
  /** First backoff step. Defaults to 200 ms; doubles per retry, capped at 5000 ms. */
  readonly baseDelayMs?: number;
  /** Refresh-ahead margin before expiry. Defaults to 60 s (at most half the token's life). */
  readonly refreshMarginMs?: number;
  /** Life of a token whose response has no `expires_in`. Defaults to 300 s. */
  readonly defaultLifetimeSeconds?: number;
  /** Allow http:// on a non-loopback host. Defaults to false (never do this in production). */
  readonly allowInsecureHttp?: boolean;
  /** Jitter source in [0, 1). Defaults to `Math.random`. */
  readonly random?: () => number;
  /** Waits between retries. Defaults to a real timer; tests pass a fake. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Dispatcher to use instead of our own pooled Agent (not closed by us). */
  readonly dispatcher?: Dispatcher;
  /** Fetch to use instead of undici's (tests). */
  readonly fetch?: HttpFetch;
}
