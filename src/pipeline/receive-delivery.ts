// The receive pipeline of DESIGN.md section 1 as one HTTP-agnostic function: request in, {status, body} out.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import { DeliveryContext } from "../dispatch/delivery-context.js";
import type { HandlerRegistry } from "../dispatch/handler-registry.js";
import { runHandlers } from "../dispatch/run-handlers.js";
import type { KeySource, VerificationKey } from "../keys/key-source.js";
import type { ReceiverMetrics } from "../observability/metrics.js";
import type { HeaderInput } from "../signature/headers.js";
import type { PreparedKey } from "../signature/hmac-key.js";
import type { SignatureScheme } from "../signature/scheme.js";
import { createKeyPreparer } from "../signature/prepared-keys.js";
import { invalidSignature, matchSignature, parseFresh } from "../signature/verify-delivery.js";
import { INTERNAL_ERROR, toErrorResponse } from "../http/error-response.js";
import { createInFlight, type InFlight } from "./in-flight.js";
import { parseEvent } from "./parse-event.js";
import type { ReplayGuard } from "./replay-guard.js";

/** One delivery as received: headers and the exact body bytes. */
export interface DeliveryRequest {
  readonly headers: HeaderInput;
  readonly body: Uint8Array;
}

/** The answer to one delivery. */
export interface DeliveryResult {
  readonly status: number;
  /** `{status, id}` on success, `{error, message}` on failure. */
  readonly body: Readonly<Record<string, string>>;
  /** `processed`, `duplicate`, `ignored`, or the error code. */
  readonly outcome: string;
  readonly retryAfterSeconds: number | undefined;
}

/** What the pipeline needs. */
export interface PipelineDependencies {
  readonly scheme: SignatureScheme;
  readonly toleranceSeconds: number;
  readonly keySource: KeySource;
  readonly replay: ReplayGuard;
  readonly handlers: HandlerRegistry;
  readonly handlerTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ReceiverMetrics;
}

/** The pipeline: `receive` one delivery; `inFlight` for draining on shutdown. */
export interface Pipeline {
  receive(request: DeliveryRequest): Promise<DeliveryResult>;
  readonly inFlight: InFlight;
}

/** What the log line of a delivery says, filled in as the pipeline learns it. */
interface Facts {
  eventId: string | undefined;
  eventType: string | undefined;
  correlationId: string | undefined;
}

function success(outcome: "processed" | "duplicate" | "ignored", id: string): DeliveryResult {
  return { status: 200, body: { status: outcome, id }, outcome, retryAfterSeconds: undefined };
}

/** Creates the pipeline. */
export function createPipeline(deps: PipelineDependencies): Pipeline {
  const { scheme, keySource, replay, handlers, clock, logger, metrics } = deps;
  const prepare = createKeyPreparer(scheme.decodesWhsec);
  const inFlight = createInFlight();
  // The per-delivery line has a fixed shape (ids, outcome, status, duration: never a secret),
  // so it skips the redaction pass, which costs more than the line itself; other logs keep it.
  const deliveryLog = logger.child({}, { redact: { paths: [] } });

  /** The prepared keys: synchronously when the source has them cached (the hot path). */
  function currentKeys(): readonly PreparedKey[] | Promise<readonly PreparedKey[]> {
    const keys = keySource.getKeys();
    return Array.isArray(keys) ? prepare(keys as readonly VerificationKey[]) : (keys as Promise<readonly VerificationKey[]>).then(prepare);
  }

  async function process(request: DeliveryRequest, facts: Facts): Promise<DeliveryResult> {
    const parsed = parseFresh(scheme, request.headers, clock.now(), deps.toleranceSeconds);
    facts.correlationId = parsed.correlationId;
    const cached = currentKeys();
    const keys = Array.isArray(cached) ? (cached as readonly PreparedKey[]) : await cached;
    const started = performance.now();
    let key = matchSignature(parsed, request.body, keys);
    metrics.verifyDuration.observe((performance.now() - started) / 1000);
    if (key === undefined && keySource.refreshAfterMismatch !== undefined) {
      const refreshed = await keySource.refreshAfterMismatch();
      if (refreshed !== undefined) key = matchSignature(parsed, request.body, prepare(refreshed));
    }
    if (key === undefined) throw invalidSignature();

    const event = parseEvent(request.body);
    facts.eventId = event.id;
    facts.eventType = event.type;
    const replayKey = `${scheme.name}:${parsed.signedId ?? event.id}`;
    const claimed = replay.claim(replayKey);
    const claim = claimed instanceof Promise ? await claimed : claimed;
    if (claim.status === "duplicate") return success("duplicate", event.id);
    if (claim.status === "in_progress") {
      throw new DeliveryFailedError(ErrorCode.DELIVERY_IN_PROGRESS, "this event is being handled now; retry later");
    }

    const wanted = handlers.handlersFor(event.type);
    if (wanted.length === 0) {
      const marking = replay.complete(replayKey, claim.owner, parsed.timestamp);
      if (marking instanceof Promise) await marking;
      return success("ignored", event.id);
    }
    const context = new DeliveryContext(
      { id: event.id, type: event.type, timestamp: parsed.timestamp, scheme: scheme.name, deliveryId: parsed.correlationId },
      logger,
    );
    const dispatched = performance.now();
    const outcome = await runHandlers(wanted, event, context, deps.handlerTimeoutMs);
    if (outcome.kind === "ok") {
      metrics.handlerDuration.observe((performance.now() - dispatched) / 1000);
      const marking = replay.complete(replayKey, claim.owner, parsed.timestamp);
      if (marking instanceof Promise) await marking;
      return success("processed", event.id);
    }
    if (outcome.kind === "failed") {
      metrics.handlerDuration.observe((performance.now() - dispatched) / 1000);
      await replay.release(replayKey, claim.owner);
      logger.error({ err: outcome.error, event_id: event.id, event_type: event.type }, "handler failed");
      throw outcome.error;
    }
    // Timed out: the sender is told to retry, but the claim stays until the handlers settle.
    inFlight.begin();
    replay.holdUntil(replayKey, claim.owner, outcome.settled);
    void outcome.settled.then(async (error) => {
      metrics.handlerDuration.observe((performance.now() - dispatched) / 1000);
      if (error === undefined) await replay.complete(replayKey, claim.owner, parsed.timestamp);
      else await replay.release(replayKey, claim.owner);
      logger.warn(
        { err: error, event_id: event.id, event_type: event.type, outcome: error === undefined ? "processed" : "handler_failed" },
        "handler settled after its timeout",
      );
      inFlight.end();
    });
    throw new DeliveryFailedError(ErrorCode.HANDLER_TIMEOUT, `handlers did not finish within ${deps.handlerTimeoutMs} ms`);
  }

  async function receive(request: DeliveryRequest): Promise<DeliveryResult> {
    const started = performance.now();
    const facts: Facts = { eventId: undefined, eventType: undefined, correlationId: undefined };
    inFlight.begin();
    let result: DeliveryResult;
    try {
      result = await process(request, facts);
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.code === INTERNAL_ERROR) logger.error({ err: error }, "unexpected error in the receive pipeline");
      result = { status: response.status, body: response.body, outcome: response.code, retryAfterSeconds: response.retryAfterSeconds };
    } finally {
      inFlight.end();
    }
    metrics.countDelivery(result.outcome);
    const line = {
      event_id: facts.eventId,
      event_type: facts.eventType,
      delivery_id: facts.correlationId,
      outcome: result.outcome,
      status: result.status,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
    };
    if (result.status < 400) deliveryLog.info(line, "delivery");
    else if (result.status < 500) deliveryLog.warn(line, "delivery rejected");
    else deliveryLog.error(line, "delivery failed");
    return result;
  }

  return { receive, inFlight };
}
