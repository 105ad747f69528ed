// The node:http adapter: `(req, res, next?)` for node:http servers, Connect and anything Node-shaped.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookReceiver } from "../receiver/create-receiver.js";
import type { WebhookAnswer } from "../receiver/webhook-request.js";
import { keyForAddress, socketClientKey } from "./client-key.js";
import { readNodeBody } from "./read-node-body.js";
import { writeAnswer } from "./write-answer.js";

/** Options of {@link createNodeMiddleware}. */
export interface NodeMiddlewareOptions {
  /** The webhook path this middleware answers (query strings ignored). Defaults to `/webhooks/chatgpt`. */
  readonly path?: string;
  /**
   * The client address for the per-client rate limits and the source allowlist. Defaults to the
   * socket's peer address; behind a proxy, return the address your proxy vouches for (never a
   * header any client can set).
   */
  readonly clientAddress?: (req: IncomingMessage) => string | undefined;
}

/** A Node request handler; without `next`, other paths get a JSON 404. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const NOT_FOUND: WebhookAnswer = {
  status: 404,
  body: { error: "not_found", message: "no such endpoint" },
  retryAfterSeconds: undefined,
  headers: undefined,
};

function pathOf(url: string | undefined): string {
  if (url === undefined) return "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Serves `receiver` on its path with every guarantee of the Express router (limits, freshness,
 * keys, exactly-once claims, dispatch, logs, metrics): `http.createServer(createNodeMiddleware(receiver))`.
 * Other paths go to `next()`, or get 404 when there is none.
 */
export function createNodeMiddleware(receiver: Pick<WebhookReceiver, "handle">, options: NodeMiddlewareOptions = {}): NodeMiddleware {
  const path = options.path ?? "/webhooks/chatgpt";
  const addressOf = options.clientAddress;
  return (req, res, next) => {
    if (pathOf(req.url) !== path) return next ? next() : writeAnswer(res, NOT_FOUND);
    const clientAddress = addressOf === undefined ? req.socket.remoteAddress : addressOf(req);
    const clientKey = addressOf === undefined ? socketClientKey(req) : keyForAddress(clientAddress);
    void receiver
      .handle({ method: req.method ?? "GET", headers: req.headers, clientKey, clientAddress, readBody: (limit) => readNodeBody(req, limit) })
      .then((answer) => (answer === undefined ? void req.socket.destroy() : writeAnswer(res, answer)));
  };
}
