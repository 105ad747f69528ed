// Express 5 handlers for the webhook route: limits, raw body, then the pipeline's answer written once.
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import type { ReceiverMetrics } from "../observability/metrics.js";
import type { Pipeline } from "../pipeline/receive-delivery.js";
import { isJsonContentType } from "./content-type.js";
import { toErrorResponse } from "./error-response.js";
import type { RateLimits } from "./rate-limits.js";
import { sendJson } from "./send-json.js";

/** What the webhook route needs. */
export interface WebhookMiddlewareOptions {
  readonly pipeline: Pipeline;
  readonly maxBodyBytes: number;
  readonly rateLimits: RateLimits;
  readonly metrics: ReceiverMetrics;
  readonly logger: Logger;
}

/** body-parser error types and the rejection each one means. */
const BODY_ERRORS: Readonly<Record<string, DeliveryRejectedError>> = {
  "entity.too.large": new DeliveryRejectedError(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit"),
  "encoding.unsupported": new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content encoding"),
  "charset.unsupported": new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported charset"),
  "request.size.invalid": new DeliveryRejectedError(ErrorCode.INVALID_PAYLOAD, "body length does not match Content-Length"),
};

/**
 * The handler chain for `app.post(path, ...chain)`: rate limits, media type (415), raw body
 * within the size limit (413), the pipeline, and an error handler for body-reading failures.
 */
export function createWebhookMiddleware(options: WebhookMiddlewareOptions): Array<RequestHandler | ErrorRequestHandler> {
  const { pipeline, rateLimits, metrics, logger } = options;

  const reject = async (req: Request, res: Response, error: DeliveryRejectedError): Promise<void> => {
    const answer = toErrorResponse(error);
    await rateLimits.failures.record(req, answer.status);
    metrics.countDelivery(answer.code);
    logger.warn({ outcome: answer.code, status: answer.status }, "delivery rejected");
    sendJson(res, answer.status, answer.body, answer.retryAfterSeconds);
  };

  const requireJson: RequestHandler = async (req, res, next) => {
    if (isJsonContentType(req.headers["content-type"])) return next();
    await reject(req, res, new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"));
  };

  // inflate: false: the signature covers the bytes received, so a Content-Encoding other than
  // identity is refused (415) rather than decompressed before verification.
  const readBody = express.raw({ type: () => true, limit: options.maxBodyBytes, inflate: false });

  const receive: RequestHandler = async (req, res) => {
    const body: unknown = req.body;
    const result = await pipeline.receive({
      headers: req.headers,
      body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
    });
    const counting = rateLimits.failures.record(req, result.status);
    if (counting !== undefined) await counting;
    sendJson(res, result.status, result.body, result.retryAfterSeconds);
  };

  const bodyErrors: ErrorRequestHandler = async (error: unknown, req, res, next) => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === "request.aborted") return; // the sender is gone: nothing to answer
    const rejection = typeof type === "string" ? BODY_ERRORS[type] : undefined;
    if (rejection === undefined || res.headersSent) return next(error);
    await reject(req, res, rejection);
  };

  return [...rateLimits.middleware, requireJson, readBody, receive, bodyErrors];
}
