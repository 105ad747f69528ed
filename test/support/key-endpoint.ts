// A small provider key endpoint for tests: checks the bearer JWT with jose, then serves configurable keys.
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createBearerVerifier } from "../../src/dev/bearer-verifier.js";
import type { JSONWebKeySet } from "jose";

/** Options of {@link startKeyEndpoint}. */
export interface KeyEndpointOptions {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly audience: string;
  /** Defaults to `webhooks:verify`. */
  readonly requiredScope?: string;
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
  const verify = createBearerVerifier({
    issuer: options.issuer,
    jwks: options.jwks,
    audience: options.audience,
    scope: options.requiredScope ?? "webhooks:verify",
  });
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
