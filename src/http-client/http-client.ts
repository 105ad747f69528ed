// One pooled undici Agent per provider (with the mTLS client certificate when needed) and its fetch.
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import type { Dispatcher } from "undici";

/** The fetch shape we use everywhere (global `Response`, so oauth4webapi accepts it). */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;

/** TLS material for RFC 8705 mutual TLS, and extra trusted CAs. */
export interface HttpTlsOptions {
  readonly certPem?: string;
  readonly keyPem?: string;
  /** Added to (not replacing) the system CAs. */
  readonly caPem?: string;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** TLS options for our own Agent. */
  readonly tls?: HttpTlsOptions;
  /** Use this dispatcher instead of creating an Agent (the caller closes it). */
  readonly dispatcher?: Dispatcher;
  /** Use this fetch instead of undici's (tests). */
  readonly fetch?: HttpFetch;
}

/** A fetch over one connection pool, and the way to release it. */
export interface HttpClient {
  readonly fetch: HttpFetch;
  /** Closes the Agent we created (not an injected dispatcher). */
  close(): Promise<void>;
}

/**
 * Creates one pooled undici `Agent` (keep-alive, bounded connections) and a fetch bound to it.
 * Redirects are never followed: a token or key endpoint that redirects is misconfigured, and
 * following would forward credentials.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  if (options.fetch) return { fetch: options.fetch, close: () => Promise.resolve() };
  const own = options.dispatcher
    ? undefined
    : new Agent({
        connections: 16,
        keepAliveTimeout: 30_000,
        connect: {
          ...(options.tls?.certPem ? { cert: options.tls.certPem } : {}),
          ...(options.tls?.keyPem ? { key: options.tls.keyPem } : {}),
          // Node's `ca` replaces the bundled roots; keep them so CA_FILE only adds trust.
          ...(options.tls?.caPem ? { ca: [...rootCertificates, options.tls.caPem] } : {}),
        },
      });
  const dispatcher: Dispatcher = options.dispatcher ?? (own as Agent);
  const fetch: HttpFetch = (url, init) => {
    return undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), redirect: "manual", dispatcher });
  };
  return { fetch, close: () => (own ? own.close() : Promise.resolve()) };
}
