// The service's Express 5 app: security headers, ops endpoints (unless on their own listener), the webhook route, JSON 404s and errors.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { Logger } from "pino";
import type { TrustProxy } from "../config/trust-proxy.js";
import type { Receiver } from "./express-receiver.js";
import { toErrorResponse } from "../pipeline/error-response.js";
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
  /**
   * Whether this app serves /healthz, /readyz and /metrics (without failure reasons). Defaults
   * to true; false when they have their own listener (`OPS_PORT`), which {@link createOpsApp} serves.
   */
  readonly opsRoutes?: boolean;
  /** More routes, mounted after the security headers (the dev inspector). Defaults to none. */
  readonly extraRoutes?: RequestHandler | undefined;
}

/** Options of {@link createOpsApp}. */
export type OpsAppOptions = Pick<AppOptions, "receiver" | "logger" | "isShuttingDown">;

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
  if (options.opsRoutes ?? true) {
    app.use(createOpsRoutes(options.receiver, { isShuttingDown: options.isShuttingDown ?? (() => false), reasons: false }));
  }
  if (options.extraRoutes !== undefined) app.use(options.extraRoutes);
  finish(app, options.logger);
  return app;
}

/** Builds the app of the separate ops listener: /healthz, /readyz (with reasons) and /metrics only. */
export function createOpsApp(options: OpsAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.use(securityHeaders());
  app.use(createOpsRoutes(options.receiver, { isShuttingDown: options.isShuttingDown ?? (() => false), reasons: true }));
  finish(app, options.logger);
  return app;
}

/** JSON 404 for every other path, and the error handler. */
function finish(app: Express, logger: Logger): void {
  app.use((_req, res) => sendJson(res, 404, { error: "not_found", message: "no such endpoint" }));
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    logger.error({ err: error }, "unhandled error in a route");
    if (res.headersSent) return void res.destroy();
    const answer = toErrorResponse(error);
    sendJson(res, answer.status, answer.body, answer.retryAfterSeconds);
  };
  app.use(onError);
}
