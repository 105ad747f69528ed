// The fetch adapter: `(request: Request) => Promise<Response>` for Next.js route handlers, Hono, Bun, Deno and Node's own Request.
import type { WebhookReceiver } from "../receiver/create-receiver.js";
import type { WebhookAnswer } from "../receiver/webhook-request.js";
import { keyForAddress } from "./client-key.js";
import { readFetchBody } from "./read-fetch-body.js";
import { SECURITY_HEADERS } from "./security-headers.js";

/** Options of {@link createFetchHandler}. */
export interface FetchHandlerOptions {
  /**
   * The client address for the per-client rate limits and the source allowlist, e.g. Hono's
   * `getConnInfo(c).remote.address` or the address your platform's proxy vouches for. Without it
   * (or when it returns `undefined`) the per-client limits do not apply (a fetch `Request` carries
   * no peer address, and one shared count would let a flood lock every sender out), and a
   * receiver with `allowedSourceIps` refuses every request (403 `forbidden_source`): fail closed.
   */
  readonly clientAddress?: (request: Request) => string | undefined;
}

/** What a sender that went away gets (nobody reads it): no verdict was made. */
const GONE_STATUS = 400;

function toResponse(answer: WebhookAnswer): Response {
  const headers = new Headers(SECURITY_HEADERS as Array<[string, string]>);
  headers.set("Content-Type", "application/json; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  if (answer.retryAfterSeconds !== undefined) headers.set("Retry-After", String(answer.retryAfterSeconds));
  if (answer.headers !== undefined) for (const [name, value] of Object.entries(answer.headers)) headers.set(name, value);
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

/** What a framework may pass beside the request (Hono's connection info, say). */
export interface FetchRequestContext {
  /** The client address of this request; wins over the `clientAddress` option. */
  readonly clientAddress?: string | undefined;
}

/** A fetch handler: a second argument may carry the client address (others are ignored). */
export type FetchHandler = (request: Request, context?: FetchRequestContext | object) => Promise<Response>;

/**
 * Serves `receiver` as a fetch handler with every guarantee of the Express router. It answers
 * whatever it is given (route it to the webhook path yourself), e.g. in a Next.js App Router
 * route file: `export const POST = createFetchHandler(receiver);`, or in Hono:
 * `app.all(path, (c) => handler(c.req.raw, { clientAddress: getConnInfo(c).remote.address }))`.
 * The body is read as exact bytes under `maxBodyBytes`; a declared `Content-Length` over it is
 * refused before reading.
 */
export function createFetchHandler(receiver: Pick<WebhookReceiver, "handle">, options: FetchHandlerOptions = {}): FetchHandler {
  const clientAddress = options.clientAddress;
  return async (request, context) => {
    const given = (context as FetchRequestContext | undefined)?.clientAddress;
    const address = typeof given === "string" ? given : clientAddress?.(request);
    const answer = await receiver.handle({
      method: request.method,
      headers: request.headers,
      clientKey: address === undefined ? undefined : keyForAddress(address),
      clientAddress: address,
      readBody: (limit) => readFetchBody(request, limit),
    });
    return answer === undefined ? new Response(null, { status: GONE_STATUS }) : toResponse(answer);
  };
}
