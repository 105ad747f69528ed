// The front door every adapter shares: limits, method, media type, body size, the pipeline, and one record of the outcome.
import type { Logger } from "pino";
import { DeliveryRejectedError, ErrorCode, ForbiddenSourceError } from "../errors.js";
import type { Clock } from "../clock.js";
import { isThenable } from "../maybe-promise.js";
import { INTERNAL_ERROR, toErrorResponse } from "../pipeline/error-response.js";
import { notifyObserver, type DeliveryObserver } from "../pipeline/delivery-observer.js";
import type { DeliveryRecord, OutcomeRecorder } from "../pipeline/outcome-recorder.js";
import type { DeliveryResult, Pipeline } from "../pipeline/receive-delivery.js";
import { rateLimitedAnswer } from "../rate-limit/rate-limited-answer.js";
import type { RateLimits } from "../rate-limit/rate-limits.js";
import { getHeader } from "../signature/headers.js";
import { isJsonContentType } from "./content-type.js";
import type { SourceAllowlist } from "./source-allowlist.js";
import type { WebhookAnswer, WebhookRequest } from "./webhook-request.js";

/** What the front door needs. */
export interface RequestHandlerDependencies {
  readonly pipeline: Pipeline;
  readonly rateLimits: RateLimits;
  readonly maxBodyBytes: number;
  /** `allowedSourceIps`; `undefined` lets every source in. */
  readonly allowlist: SourceAllowlist | undefined;
  readonly record: OutcomeRecorder;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told of every answer with its request (docs/ARCHITECTURE.md, "Observing deliveries"). */
  readonly observer?: DeliveryObserver | undefined;
}

/**
 * Handles one request; `undefined` means the sender is gone: close its connection, answer
 * nothing. Never rejects: a failure of our own is logged and answered `500 internal_error`.
 */
export type RequestHandler = (request: WebhookRequest) => Promise<WebhookAnswer | undefined>;

const METHOD_NOT_ALLOWED: WebhookAnswer = {
  status: 405,
  body: { error: "method_not_allowed", message: "use POST" },
  retryAfterSeconds: undefined,
  headers: { Allow: "POST" },
};
const NOT_JSON = new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
const CLOSE = { Connection: "close" };
/** The answer to a source outside the allowlist, built once. */
const FORBIDDEN = toErrorResponse(new ForbiddenSourceError());
const ENCODED = new DeliveryRejectedError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content encoding");

/** A declared length over the limit: refused before a byte is read, and the connection closed. */
function declaredTooLarge(request: WebhookRequest, limit: number): boolean {
  const declared = getHeader(request.headers, "content-length");
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit;
}

/**
 * Creates the front door of docs/ARCHITECTURE.md "The path of one delivery": the source
 * allowlist (403, `Connection: close`, before anything else), the rate limits (429), the
 * method (405), the media type and encoding (415), a declared length over the limit (413 at
 * once, `Connection: close`), the body read under the limit, then the pipeline. Every answer
 * (a refusal at any step included) is recorded once, and a failed answer is counted against the
 * client's failure limit before it is written.
 */
export function createRequestHandler(deps: RequestHandlerDependencies): RequestHandler {
  const { pipeline, rateLimits, record, clock, logger, observer } = deps;

  /** Records the answer (the outcome record, the observer) and returns it. */
  const recorded = (request: WebhookRequest, started: number, answer: WebhookAnswer, outcome: string, facts?: DeliveryResult, body?: Uint8Array) => {
    const delivery: DeliveryRecord = {
      status: answer.status,
      outcome,
      eventId: facts?.eventId,
      eventType: facts?.eventType,
      deliveryId: facts?.deliveryId,
      durationMs: performance.now() - started,
      sourceAddress: undefined,
    };
    record(delivery);
    if (observer !== undefined) {
      notifyObserver(observer, { ...delivery, headers: request.headers, body, answer: answer.body, answeredAt: clock.now() });
    }
    return answer;
  };

  /** {@link recorded}, once the client's failure count (when the answer is one) is stored. */
  const answerWith = (
    request: WebhookRequest,
    started: number,
    answer: WebhookAnswer,
    outcome: string,
    facts?: DeliveryResult,
    body?: Uint8Array,
  ): WebhookAnswer | Promise<WebhookAnswer> => {
    const counting = request.clientKey === undefined ? undefined : rateLimits.recordFailure(request.clientKey, answer.status);
    // Not thenMaybe: its callback would be a closure per request on the synchronous path too.
    if (isThenable(counting)) return Promise.resolve(counting).then(() => recorded(request, started, answer, outcome, facts, body));
    return recorded(request, started, answer, outcome, facts, body);
  };

  const reject = (request: WebhookRequest, started: number, error: DeliveryRejectedError, headers?: Record<string, string>) => {
    const response = toErrorResponse(error);
    const answer = { status: response.status, body: response.body, retryAfterSeconds: response.retryAfterSeconds, headers };
    return answerWith(request, started, answer, response.code);
  };

  /** The steps after the limits: method, media type, encoding, declared length, the body, the pipeline. */
  const admitted = async (request: WebhookRequest, started: number): Promise<WebhookAnswer | undefined> => {
    if (request.method !== "POST") return answerWith(request, started, METHOD_NOT_ALLOWED, "method_not_allowed");
    if (!isJsonContentType(getHeader(request.headers, "content-type"))) return reject(request, started, NOT_JSON);
    const encoding = getHeader(request.headers, "content-encoding");
    if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") return reject(request, started, ENCODED);
    if (declaredTooLarge(request, deps.maxBodyBytes)) {
      const tooLarge = new DeliveryRejectedError(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit");
      return reject(request, started, tooLarge, CLOSE);
    }
    const read = await request.readBody(deps.maxBodyBytes);
    if (read.kind === "gone") return undefined;
    if (read.kind === "rejected") {
      // Past the limit mid-body (a chunked upload, say): close, rather than read the rest to reuse the connection.
      return reject(request, started, read.error, read.error.code === ErrorCode.PAYLOAD_TOO_LARGE ? CLOSE : undefined);
    }
    const result = await pipeline.receive({ headers: request.headers, body: read.body });
    const answer = { status: result.status, body: result.body, retryAfterSeconds: result.retryAfterSeconds, headers: undefined };
    return answerWith(request, started, answer, result.outcome, result, read.body);
  };

  const failed = (started: number, error: unknown): WebhookAnswer => {
    logger.error({ err: error }, "unexpected error in the webhook front door");
    const response = toErrorResponse(error);
    record({ status: response.status, outcome: INTERNAL_ERROR, durationMs: performance.now() - started });
    return { status: response.status, body: response.body, retryAfterSeconds: undefined, headers: undefined };
  };

  // Refused before the rate limits (a forbidden source spends no count) and before a byte of the
  // body is read; the connection is closed rather than drained.
  const forbidden = (request: WebhookRequest, started: number): WebhookAnswer => {
    const durationMs = performance.now() - started;
    record({ status: FORBIDDEN.status, outcome: FORBIDDEN.code, durationMs, sourceAddress: request.clientAddress });
    return { status: FORBIDDEN.status, body: FORBIDDEN.body, retryAfterSeconds: undefined, headers: CLOSE };
  };

  // A request is in flight from its first step to its answer, so a drain waits for the answer too.
  return async (request) => {
    const started = performance.now();
    pipeline.inFlight.begin();
    try {
      if (deps.allowlist !== undefined && !deps.allowlist.allows(request.clientAddress)) return forbidden(request, started);
      if (request.clientKey !== undefined) {
        const admitting = rateLimits.admit(request.clientKey);
        const refused = isThenable(admitting) ? await admitting : admitting;
        if (refused !== undefined) {
          record({ status: 429, outcome: ErrorCode.RATE_LIMITED, durationMs: performance.now() - started });
          return rateLimitedAnswer(refused, clock);
        }
      }
      return await admitted(request, started);
    } catch (error) {
      return failed(started, error);
    } finally {
      pipeline.inFlight.end();
    }
  };
}
