// A small provider key endpoint for tests: checks the bearer JWT with jose against the authorization
// server's published JWKS (written here, independently of src/dev's verifier), then serves configurable keys.
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, jwtVerify } from "jose";

/** Options of {@link startKeyEndpoint}. */
export interface KeyEndpointOptions {
  /** The authorization server: its discovery document names the JWKS the tokens are checked against. */
  readonly issuer: string;
  readonly audience: string;
  /** Defaults to `webhooks:verify`. */
  readonly requiredScope?: string;
}

/**
 * A checker of `Authorization` values as a resource server would write one (RFC 9068): a bearer
 * `at+jwt` signed with a key from the issuer's `jwks_uri`, for `audience`, whose space-separated
 * `scope` includes `scope`. Returns the token, or undefined.
 */
async function bearerChecker(issuer: string, audience: string, scope: string): Promise<(authorization: string | undefined) => Promise<string | undefined>> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  return async (authorization) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience, typ: "at+jwt" });
      return typeof payload.scope === "string" && payload.scope.split(" ").includes(scope) ? token : undefined;
    } catch {
      return undefined;
    }
  };
}

/** What the endpoint answers to an authorized request. */
export interface KeyEndpointReply {
  readonly status?: number;
  /** A JSON value, or a raw string sent as is. */
  readonly body: unknown;
  readonly cacheControl?: string;
}

/** A running key endpoint. */
export interface KeyEndpoint {
  readonly url: string;
  /** Requests received so far (authorized or not). */
  requests(): number;
  /** Requests refused with 401 so far. */
  rejected(): number;
  /** Sets the answer to authorized requests. */
  reply(reply: KeyEndpointReply): void;
  /** From now on, every token seen so far gets 401 (as if revoked). */
  revokeSeenTokens(): void;
  close(): Promise<void>;
}

/** Starts the key endpoint on 127.0.0.1, port 0. Initially serves `{"secret": "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy"}`. */
export async function startKeyEndpoint(options: KeyEndpointOptions): Promise<KeyEndpoint> {
  const verify = await bearerChecker(options.issuer, options.audience, options.requiredScope ?? "webhooks:verify");
  const seen = new Set<string>();
  const revoked = new Set<string>();
  let current: KeyEndpointReply = { body: { secret: "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy" } };
  let requests = 0;
  let rejected = 0;

  async function authorized(req: IncomingMessage): Promise<boolean> {
    const token = await verify(req.headers.authorization);
    if (token === undefined || revoked.has(token)) return false;
    seen.add(token);
    return true;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    void authorized(req).then((ok) => {
      if (!ok) {
        rejected++;
        res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' }).end();
        return;
      }
      const body = typeof current.body === "string" ? current.body : JSON.stringify(current.body);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (current.cacheControl) headers["cache-control"] = current.cacheControl;
      res.writeHead(current.status ?? 200, headers).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/webhook-keys`,
    requests: () => requests,
    rejected: () => rejected,
    reply: (reply) => {
      current = reply;
    },
    revokeSeenTokens: () => seen.forEach((t) => revoked.add(t)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
