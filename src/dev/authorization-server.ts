// A real OAuth 2 authorization server (oidc-provider) for `npm run dev` and the tests: client
// credentials, resource indicators issuing JWT access tokens, optional mTLS (RFC 8705).
import { randomBytes, X509Certificate } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { exportJWK, generateKeyPair, type JSONWebKeySet } from "jose";

/** Options of {@link startAuthorizationServer}. */
export interface AuthorizationServerOptions {
  /** oidc-provider client metadata, as registered. */
  readonly clients: readonly Record<string, unknown>[];
  /** The resource indicator (RFC 8707) of the key endpoint: the access tokens' audience. */
  readonly resource: string;
  /** Scopes granted for the resource. Defaults to `webhooks:verify`. */
  readonly resourceScope?: string;
  /** More resource indicators (for example an internal service of FORWARD_URL) and the scopes granted for each. Defaults to none. */
  readonly extraResources?: Readonly<Record<string, string>>;
  /** Access token life in seconds. Defaults to 3600. */
  readonly accessTokenTtl?: number;
  /** https with client certificates requested (tls_client_auth). Defaults to plain http. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca: string };
  /** Defaults to 127.0.0.1 and a free port. */
  readonly host?: string;
  readonly port?: number;
  /** The access tokens' signing key pair. Defaults to a new RS256 pair (a restart on the same port may pass the old one). */
  readonly signingKeys?: Awaited<ReturnType<typeof generateKeyPair>>;
  /** Sees every request first; return true when it answered (extra routes, injected failures). */
  readonly intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running authorization server. */
export interface AuthorizationServer {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  /** Public keys that sign the access tokens (for resource servers). */
  readonly jwks: JSONWebKeySet;
  readonly server: Server;
  close(): Promise<void>;
}

interface ProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => {
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  };
  errors: { InvalidTarget: new () => Error };
}

function mtlsFeature(enabled: boolean): Record<string, unknown> {
  return {
    enabled,
    tlsClientAuth: true,
    getCertificate: (ctx: { socket: TLSSocket }) => {
      const peer = ctx.socket.getPeerCertificate?.();
      return peer?.raw ? new X509Certificate(peer.raw) : undefined;
    },
    certificateAuthorized: (ctx: { socket: TLSSocket }) => ctx.socket.authorized,
    certificateSubjectMatches: (ctx: { socket: TLSSocket }, property: string, expected: string) =>
      property === "tls_client_auth_subject_dn" && ctx.socket.getPeerCertificate().subject?.CN === expected.replace(/^CN=/, ""),
  };
}

/** Starts oidc-provider on its own HTTP(S) server and resolves once it listens. */
export async function startAuthorizationServer(options: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const specifier = "oidc-provider"; // untyped package: imported through a variable, typed above
  const { default: Provider, errors } = (await import(specifier)) as ProviderModule;
  const { privateKey, publicKey } = options.signingKeys ?? (await generateKeyPair("RS256", { extractable: true }));
  const signingJwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "at-signer" };
  const publicJwk = { ...(await exportJWK(publicKey)), alg: "RS256", use: "sig", kid: "at-signer" };
  const server: Server = options.tls
    ? createHttpsServer({ ...options.tls, requestCert: true, rejectUnauthorized: false })
    : createHttpServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `${options.tls ? "https" : "http"}://${options.host ?? "127.0.0.1"}:${port}`;
  const ttl = options.accessTokenTtl ?? 3600;
  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys: [signingJwk] },
    cookies: { keys: [randomBytes(32).toString("base64url")] }, // unused: no interactive flows
    ttl: { ClientCredentials: ttl },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "private_key_jwt", ...(options.tls ? ["tls_client_auth"] : [])],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          const extra = options.extraResources !== undefined && Object.hasOwn(options.extraResources, indicator) ? options.extraResources[indicator] : undefined;
          if (indicator !== options.resource && extra === undefined) throw new errors.InvalidTarget();
          return {
            scope: extra ?? options.resourceScope ?? "webhooks:verify",
            audience: indicator,
            accessTokenTTL: ttl,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
      mTLS: mtlsFeature(options.tls !== undefined),
    },
  });
  const handle = provider.callback();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (options.intercept?.(req, res) === true) return;
    handle(req, res);
  });
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwks: { keys: [publicJwk] },
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
