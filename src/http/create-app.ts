// The service's Express 5 app: security headers, ops endpoints, the webhook route, JSON 404s and errors.
import express, { type ErrorRequestHandler, type Express } from "express";
import type { Logger } from "pino";
import type { TrustProxy } from "../config/trust-proxy.js";
import type { Receiver } from "../receiver/create-receiver.js";
import { toErrorResponse } from "./error-response.js";
import { createOpsRoutes } from "./ops-routes.js";
import { securityHeaders } from "./security-headers.js";
import { sendJson } from "./send-json.js";

/** Options of {@link createApp}. */
export interface AppOptions {
  readonly receiver: Receiver;
  readonly path: string;
  readonly logger: Logger;
  /** Express `trust proxy` (hop count or address / CIDR list), as `parseTrustProxy` checked it. */
  readonly trustProxy?: TrustProxy | undefined;
  /** Whether the service is draining (then /readyz answers 503). */
  readonly isShuttingDown?: () => boolean;
}

/** Builds the app. The webhook route writes its own headers (see `sendJson`). */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  // Registered on the app itself (not a mounted router): fewer layers on the hot path.
  app.post(options.path, ...options.receiver.middleware);
  app.all(options.path, options.receiver.methodNotAllowed);
  app.use(securityHeaders());
  app.use(createOpsRoutes(options.receiver, options.isShuttingDown ?? (() => false)));
  app.use((_req, res) => sendJson(res, 404, { error: "not_found", message: "no such endpoint" }));
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    options.logger.error({ err: error }, "unhandled error in a route");
    if (res.headersSent) return void res.destroy();
    const answer = toErrorResponse(error);
    sendJson(res, answer.status, answer.body, answer.retryAfterSeconds);
  };
  app.use(onError);
  return app;
}
