// A real internal service on 127.0.0.1 for the forwarding tests: accepts only JWT access tokens of the test's oidc-provider, records what it got, answers as scripted.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify } from "jose";
import type { AuthServer } from "../support/auth-server.js";
import { counted, type Counted } from "../queue/queue-test-support.js";

/** The resource indicator (RFC 8707) of the internal service: its tokens' audience. */
export const INTERNAL_RESOURCE = "https://internal.webhook.test/";
export const INTERNAL_SCOPE = "events:write";

/** One request the service got. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The bearer token, as sent. */
  readonly token: string | undefined;
  /** What the service answered. */
  readonly status: number;
}

/** A running internal service. */
export interface InternalService {
  readonly url: string;
  readonly received: Received[];
  /** Counts every request (wait on it). */
  readonly requests: Counted;
  /** The next authorized requests get these statuses (then 200). A scripted 401 refuses a valid token; status 0 never answers. */
  answerNext(...answers: Array<{ status: number; headers?: Record<string, string> }>): void;
  close(): Promise<void>;
}

/** Starts the service; a token must be a JWT from `auth`, for {@link INTERNAL_RESOURCE} with {@link INTERNAL_SCOPE}. */
export async function startInternalService(auth: AuthServer): Promise<InternalService> {
  const jwks = createLocalJWKSet(auth.jwks);
  const received: Received[] = [];
  const requests = counted();
  const script: Array<{ status: number; headers?: Record<string, string> }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        let status = 401;
        let headers: Record<string, string> = {};
        try {
          if (token === undefined) throw new Error("no bearer token");
          const { payload } = await jwtVerify(token, jwks, { issuer: auth.issuer, audience: INTERNAL_RESOURCE });
          if (typeof payload.scope !== "string" || !payload.scope.split(" ").includes(INTERNAL_SCOPE)) throw new Error("scope missing");
          const next = script.shift() ?? { status: 200 };
          status = next.status;
          headers = next.headers ?? {};
        } catch {
          status = 401;
        }
        received.push({ headers: req.headers, body: Buffer.concat(chunks), token, status });
        if (status === 0) return void requests.add();
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify({ status }));
        requests.add();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    requests,
    answerNext: (...answers) => void script.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
