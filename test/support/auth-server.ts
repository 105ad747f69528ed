// The tests' authorization server: src/dev's oidc-provider setup, plus request counting and injected failures.
import type { OutgoingHttpHeaders } from "node:http";
import type { TLSSocket } from "node:tls";
import type { JSONWebKeySet } from "jose";
import { startAuthorizationServer, type AuthorizationServerOptions } from "../../src/dev/authorization-server.js";

/** The resource indicator (RFC 8707) of the key endpoint; tokens for it are JWTs. */
export const KEY_RESOURCE = "https://keys.webhook.test/";

/** Options of {@link startAuthServer}. */
export interface AuthServerOptions {
  readonly clients: readonly Record<string, unknown>[];
  /** https with client certificates requested (RFC 8705 tls_client_auth). */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca: string };
  /** Scopes the key resource server grants. Defaults to `webhooks:verify webhooks:read`. */
  readonly resourceScope?: string;
  /** Access token life in seconds. Defaults to 3600. */
  readonly accessTokenTtl?: number;
  /** Defaults to a free port. */
  readonly port?: number;
  /** Defaults to a new pair: pass one to restart a server whose tokens must stay verifiable. */
  readonly signingKeys?: AuthorizationServerOptions["signingKeys"];
  /** More resource indicators and their scopes (an internal service's). Defaults to none. */
  readonly extraResources?: Readonly<Record<string, string>>;
}

/** A canned answer injected in front of the token endpoint. */
export interface InjectedFailure {
  readonly status: number;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
}

/** A running authorization server. */
export interface AuthServer {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwks: JSONWebKeySet;
  /** Requests that reached the token endpoint so far (injected failures included). */
  tokenRequests(): number;
  /** The SHA-256 fingerprint of the client certificate of each token request (https only; "" without one). */
  tokenClientCertificates(): string[];
  /** The next token requests get these answers instead of oidc-provider's. */
  failNext(...failures: InjectedFailure[]): void;
  close(): Promise<void>;
}

/** Starts oidc-provider (client_credentials, resource indicators issuing JWT access tokens) on port 0. */
export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const injected: InjectedFailure[] = [];
  let tokenRequests = 0;
  const certificates: string[] = [];
  const server = await startAuthorizationServer({
    clients: options.clients,
    resource: KEY_RESOURCE,
    resourceScope: options.resourceScope ?? "webhooks:verify webhooks:read",
    accessTokenTtl: options.accessTokenTtl,
    extraResources: options.extraResources,
    tls: options.tls,
    port: options.port,
    signingKeys: options.signingKeys,
    intercept: (req, res) => {
      if (req.method !== "POST" || req.url?.startsWith("/token") !== true) return false;
      tokenRequests++;
      const socket = req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate === "function") certificates.push(socket.getPeerCertificate().fingerprint256 ?? "");
      const failure = injected.shift();
      if (failure === undefined) return false;
      req.resume();
      res.writeHead(failure.status, failure.headers).end(failure.body ?? "");
      return true;
    },
  });
  return {
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    jwks: server.jwks,
    tokenRequests: () => tokenRequests,
    tokenClientCertificates: () => [...certificates],
    failNext: (...failures) => void injected.push(...failures),
    close: () => server.close(),
  };
}

/** The service environment that uses `server` and a key endpoint at `keyUrl` (basic-client). */
export function remoteKeyEnv(server: AuthServer, keyUrl: string, clientSecret: string): Record<string, string | undefined> {
  return {
    WEBHOOK_SECRET: undefined,
    WEBHOOK_KEY_URL: keyUrl,
    TOKEN_ENDPOINT: server.tokenEndpoint,
    TOKEN_AUDIENCE: KEY_RESOURCE,
    CLIENT_ID: "basic-client",
    CLIENT_SECRET: clientSecret,
  };
}
