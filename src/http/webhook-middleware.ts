// Express 5 handlers for the webhook route: limits, raw body, then the pipeline's answer written once.
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import type { ReceiverMetrics } from "../observability/metrics.js";
import type { Pipeline } from "../pipeline/receive-delivery.js";
import { isJsonContentType } from "./content-type.js";
import { toErrorResponse } from "./error-response.js";
import type { MaybePromise } from "../maybe-promise.js";
import type { LimitInfo, RateLimits } from "../rate-limit/rate-limits.js";
import { clientKey } from "./client-key.js";
import { sendRateLimited } from "./rate-limit-answer.js";
import { sendJson } from "./send-json.js";

/** What the webhook route needs. */
export interface WebhookMiddlewareOptions {
  readonly pipeline: Pipeline;
  readonly maxBodyBytes: number;
  readonly rateLimits: RateLimits;
  readonly metrics: ReceiverMetrics;
  readonly logger: Logger;
}

const TOO_LARGE = new DeliveryRejectedError(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit");

/** body-parser error types and the rejection each one means. */
const BODY_ERRORS: Readonly<Record<string, DeliveryRejectedError>> = {
  "entity.too.large": TOO_LARGE,
  "encoding.unsupported": new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content encoding"),
  "charset.unsupported": new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported charset"),
  "request.size.invalid": new DeliveryRejectedError(ErrorCode.INVALID_PAYLOAD, "body length does not match Content-Length"),
};

/**
 * Whether the request has no sender left to answer, or no whole body to verify: the socket
 * closed or reset, the body was cut short, or the sender half-closed after its request. On a
 * half-close (FIN) Node ends the socket, so no answer can reach the sender, and body-parser,
 * seeing the socket's read side closed, skips the body it already holds (on-finished): the
 * declared body was then never read.
 */
function senderLeft(req: Request): boolean {
  if (!req.complete || req.socket.destroyed || !req.socket.writable) return true;
  const declared = req.headers["content-length"];
  if (declared === undefined) return false;
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body.length !== Number(declared) : Number(declared) > 0;
}

/**
 * The handler chain for `app.post(path, ...chain)`: one handler for the rate limits (429), the
 * media type (415), the raw body within the size limit (413: a declared Content-Length over it
 * is refused before reading, with `Connection: close`) and the pipeline.
 */
export function createWebhookMiddleware(options: WebhookMiddlewareOptions): RequestHandler[] {
  const { pipeline, rateLimits, metrics, logger } = options;

  const recordFailure = (req: Request, status: number): MaybePromise<void> => rateLimits.recordFailure(clientKey(req), status);

  const reject = async (req: Request, res: Response, error: DeliveryRejectedError): Promise<void> => {
    const answer = toErrorResponse(error);
    await recordFailure(req, answer.status);
    metrics.countDelivery(answer.code);
    logger.warn({ outcome: answer.code, status: answer.status }, "delivery rejected");
    sendJson(res, answer.status, answer.body, answer.retryAfterSeconds);
  };

  // inflate: false: the signature covers the bytes received, so a Content-Encoding other than
  // identity is refused (415) rather than decompressed before verification.
  const readBody = express.raw({ type: () => true, limit: options.maxBodyBytes, inflate: false });

  const receive = async (req: Request, res: Response): Promise<void> => {
    const body: unknown = req.body;
    const result = await pipeline.receive({
      headers: req.headers,
      body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
    });
    const counting = recordFailure(req, result.status);
    if (counting instanceof Promise) await counting;
    sendJson(res, result.status, result.body, result.retryAfterSeconds);
  };

  const bodyFailed = async (error: unknown, req: Request, res: Response): Promise<void> => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === "request.aborted") return; // the sender is gone: nothing to answer
    const rejection = typeof type === "string" ? BODY_ERRORS[type] : undefined;
    if (rejection === undefined || res.headersSent) throw error;
    await reject(req, res, rejection);
  };

  // One handler for the media type, body and pipeline (fewer layers on the hot path).
  const handle = (req: Request, res: Response, next: (error?: unknown) => void): Promise<void> | void => {
    if (!isJsonContentType(req.headers["content-type"])) {
      return reject(req, res, new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"));
    }
    if (Number(req.headers["content-length"]) > options.maxBodyBytes) {
      // Refused before a byte is read: body-parser would first drain the whole declared body
      // (up to the request timeout). Closing the connection stops a client that keeps uploading.
      res.setHeader("Connection", "close");
      return reject(req, res, TOO_LARGE);
    }
    readBody(req, res, (error?: unknown) => {
      // A sender that went away before its body was read gets no answer and no verdict: verifying
      // a body that never (fully) came would count a forgery, and a failure against its limit.
      // Its connection is closed, so nothing waits on it (a no-op when Node closed it already).
      if (error === undefined && senderLeft(req)) return void req.socket.destroy();
      const done = error === undefined ? receive(req, res) : bodyFailed(error, req, res);
      done.catch(next);
    });
  };

  // Both limits in one step before anything else (one round trip on a shared counter).
  const refuse = (res: Response, limit: LimitInfo): void => {
    metrics.countDelivery(ErrorCode.RATE_LIMITED);
    sendRateLimited(res, limit);
  };
  const admitFirst: RequestHandler = (req, res, next) => {
    const admitting = rateLimits.admit(clientKey(req));
    if (admitting instanceof Promise) {
      return admitting.then((refused) => (refused === undefined ? handle(req, res, next) : refuse(res, refused)));
    }
    return admitting === undefined ? handle(req, res, next) : refuse(res, admitting);
  };

  return [admitFirst];
}
