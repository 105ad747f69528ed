// A real OAuth 2 authorization server for tests: oidc-provider in-process on 127.0.0.1 (http, or https with mTLS).
import { X509Certificate } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { TLSSocket } from "node:tls";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import type { JSONWebKeySet } from "jose";

/** The resource indicator (RFC 8707) of the key endpoint; tokens for it are JWTs. */
export const KEY_RESOURCE = "https://keys.webhook.test/";

/** Options of {@link startAuthServer}. */
export interface AuthServerOptions {
  /** oidc-provider client metadata, as registered. */
  readonly clients: readonly Record<string, unknown>[];
  /** https with client certificates requested (RFC 8705 tls_client_auth). */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca: string };
  /** Scopes the key resource server grants. Defaults to `webhooks:verify webhooks:read`. */
  readonly resourceScope?: string;
  /** Access token life in seconds. Defaults to 3600. */
  readonly accessTokenTtl?: number;
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
  /** Public keys that sign access tokens (for the key endpoint). */
  readonly jwks: JSONWebKeySet;
  /** Requests that reached the token endpoint so far (injected failures included). */
  tokenRequests(): number;
  /** The next token requests get these answers instead of oidc-provider's. */
  failNext(...failures: InjectedFailure[]): void;
  close(): Promise<void>;
}

interface ProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => {
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  };
  errors: { InvalidTarget: new () => Error };
}

/** Starts oidc-provider (client_credentials, resource indicators issuing JWT access tokens) on port 0. */
export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const specifier = "oidc-provider"; // untyped package: imported through a variable, typed below
  const { default: Provider, errors } = (await import(specifier)) as ProviderModule;
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const signingJwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "at-signer" };
  const publicJwk = { ...(await exportJWK(publicKey)), alg: "RS256", use: "sig", kid: "at-signer" };
  const server: Server = options.tls
    ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: false })
    : createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys: [signingJwk] },
    cookies: { keys: ["test-only-cookie-key"] },
    ttl: { ClientCredentials: options.accessTokenTtl ?? 3600 },
    clientAuthMethods: [
      "client_secret_basic",
      "client_secret_post",
      "private_key_jwt",
      ...(options.tls ? ["tls_client_auth"] : []),
    ],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => KEY_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== KEY_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: options.resourceScope ?? "webhooks:verify webhooks:read",
            audience: KEY_RESOURCE,
            accessTokenTTL: options.accessTokenTtl ?? 3600,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
      mTLS: {
        enabled: options.tls !== undefined,
        tlsClientAuth: true,
        getCertificate: (ctx: { socket: TLSSocket }) => {
          const peer = ctx.socket.getPeerCertificate?.();
          return peer?.raw ? new X509Certificate(peer.raw) : undefined;
        },
        certificateAuthorized: (ctx: { socket: TLSSocket }) => ctx.socket.authorized,
        certificateSubjectMatches: (ctx: { socket: TLSSocket }, property: string, expected: string) =>
          property === "tls_client_auth_subject_dn" && ctx.socket.getPeerCertificate().subject?.CN === expected.replace(/^CN=/, ""),
      },
    },
  });
  const handle = provider.callback();
  const injected: InjectedFailure[] = [];
  let tokenRequests = 0;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && req.url?.startsWith("/token")) {
      tokenRequests++;
      const failure = injected.shift();
      if (failure) {
        req.resume();
        res.writeHead(failure.status, failure.headers).end(failure.body ?? "");
        return;
      }
    }
    handle(req, res);
  });
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwks: { keys: [publicJwk] },
    tokenRequests: () => tokenRequests,
    failNext: (...failures) => void injected.push(...failures),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
