// The receive pipeline as one HTTP-agnostic function: verify, claim, dispatch, late settle (docs/ARCHITECTURE.md, "The path of one delivery").
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import { DeliveryContext } from "../dispatch/delivery-context.js";
import type { HandlerRegistry } from "../dispatch/handler-registry.js";
import { runHandlers, type DispatchOutcome } from "../dispatch/run-handlers.js";
import type { UnknownWebhookEvent } from "../events/openai-events.js";
import type { KeySource, VerificationKey } from "../keys/key-source.js";
import { isThenable } from "../maybe-promise.js";
import type { ReceiverMetrics } from "../observability/metrics.js";
import type { HeaderInput } from "../signature/headers.js";
import type { PreparedKey } from "../signature/hmac-key.js";
import type { ParsedSignature, SignatureScheme } from "../signature/scheme.js";
import { createKeyPreparer } from "../signature/prepared-keys.js";
import { invalidSignature, matchSignature, parseFresh } from "../signature/verify-delivery.js";
import { INTERNAL_ERROR, toErrorResponse } from "./error-response.js";
import { createInFlight, type InFlight } from "./in-flight.js";
import { parseEvent } from "./parse-event.js";
import type { ReplayGuard } from "./replay-guard.js";
import type { JobQueue } from "../queue/job-queue.js";
import { claimAndEnqueue, type EnqueueStep } from "./claim-and-enqueue.js";

/** One delivery as received: headers and the exact body bytes. */
export interface DeliveryRequest {
  readonly headers: HeaderInput;
  readonly body: Uint8Array;
}

/** The answer to one delivery, with what was learned of it (for the log line). */
export interface DeliveryResult {
  readonly status: number;
  /** `{status, id}` on success, `{error, message}` on failure. */
  readonly body: Readonly<Record<string, string>>;
  /** `processed`, `duplicate`, `ignored`, `queued`, or the error code. */
  readonly outcome: string;
  readonly retryAfterSeconds: number | undefined;
  /** The verified event's id and type, once known. */
  readonly eventId?: string | undefined;
  readonly eventType?: string | undefined;
  /** The delivery id from the headers (may be unsigned: for correlation only). */
  readonly deliveryId?: string | undefined;
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
  /** Queue mode: verified events go to this queue instead of the handlers (`claimAndEnqueue`). */
  readonly jobs?: JobQueue | undefined;
  /** Fault-injection tests only: called after each step of the enqueue path. */
  readonly afterEnqueueStep?: ((step: EnqueueStep) => void) | undefined;
}

/**
 * The pipeline: `receive` one delivery (never throws). `inFlight` counts handlers that outlived
 * their timeout; callers count the deliveries they run on it too, so a drain waits for both.
 */
export interface Pipeline {
  receive(request: DeliveryRequest): Promise<DeliveryResult>;
  readonly inFlight: InFlight;
}

/** What the log line of a delivery says, filled in as the pipeline learns it. */
interface Facts {
  eventId: string | undefined;
  eventType: string | undefined;
  deliveryId: string | undefined;
}

/** A verified, parsed delivery and its dedupe key. */
export interface Verified {
  readonly parsed: ParsedSignature;
  readonly event: UnknownWebhookEvent;
  readonly replayKey: string;
}

function success(outcome: "processed" | "duplicate" | "ignored", id: string): Omit<DeliveryResult, keyof Facts> {
  return { status: 200, body: { status: outcome, id }, outcome, retryAfterSeconds: undefined };
}

/** The result with what was learned of the delivery, in one shape for every outcome. */
function withFacts(status: number, body: DeliveryResult["body"], outcome: string, retryAfterSeconds: number | undefined, facts: Facts): DeliveryResult {
  return { status, body, outcome, retryAfterSeconds, eventId: facts.eventId, eventType: facts.eventType, deliveryId: facts.deliveryId };
}

/** Creates the pipeline. */
export function createPipeline(deps: PipelineDependencies): Pipeline {
  const { scheme, keySource, replay, handlers, clock, logger, metrics } = deps;
  const prepare = createKeyPreparer(scheme.decodesWhsec);
  const inFlight = createInFlight();

  /** The prepared keys: synchronously when the source has them cached (the hot path). */
  function currentKeys(): readonly PreparedKey[] | Promise<readonly PreparedKey[]> {
    const keys = keySource.getKeys();
    return Array.isArray(keys) ? prepare(keys as readonly VerificationKey[]) : (keys as Promise<readonly VerificationKey[]>).then(prepare);
  }

  /**
   * Step 1: headers, freshness, signature over the raw bytes (one forced key refresh on a
   * mismatch), then the body; the dedupe key comes from signed content only. Synchronous when
   * the keys are cached and one matches (the hot path): no promise to wait for.
   */
  function verify(request: DeliveryRequest, facts: Facts): Verified | Promise<Verified> {
    const parsed = parseFresh(scheme, request.headers, clock.now(), deps.toleranceSeconds);
    facts.deliveryId = parsed.correlationId;
    const cached = currentKeys();
    // A key source may answer with another library's promise: made native here, awaited by `receive`.
    // Not thenMaybe: its callback would be a closure per delivery with cached keys too.
    if (!Array.isArray(cached)) return Promise.resolve(cached).then((keys) => verifyWith(request, facts, parsed, keys));
    return verifyWith(request, facts, parsed, cached as readonly PreparedKey[]);
  }

  function verifyWith(request: DeliveryRequest, facts: Facts, parsed: ParsedSignature, keys: readonly PreparedKey[]): Verified | Promise<Verified> {
    const started = performance.now();
    const key = matchSignature(parsed, request.body, keys);
    metrics.verifyDuration.observe((performance.now() - started) / 1000);
    if (key !== undefined) return parsedEvent(request, facts, parsed);
    if (keySource.refreshAfterMismatch === undefined) throw invalidSignature();
    return verifyAfterRefresh(request, facts, parsed);
  }

  /** A signature that matched no cached key: one forced refresh, then a second check. */
  async function verifyAfterRefresh(request: DeliveryRequest, facts: Facts, parsed: ParsedSignature): Promise<Verified> {
    // Throws verification_key_unavailable when no refresh could be done (throttled, failed).
    const refreshed = await keySource.refreshAfterMismatch?.();
    if (refreshed === undefined || matchSignature(parsed, request.body, prepare(refreshed)) === undefined) throw invalidSignature();
    return parsedEvent(request, facts, parsed);
  }

  /** The verified body as an event, and its dedupe key. */
  function parsedEvent(request: DeliveryRequest, facts: Facts, parsed: ParsedSignature): Verified {
    const event = parseEvent(request.body);
    facts.eventId = event.id;
    facts.eventType = event.type;
    return { parsed, event, replayKey: `${scheme.name}:${parsed.signedId ?? event.id}` };
  }

  /** Step 4: a handler that outlived its timeout keeps its claim until it settles. */
  function settleLate(verified: Verified, owner: string, outcome: Extract<DispatchOutcome, { kind: "timeout" }>, dispatched: number): never {
    const { event, replayKey, parsed } = verified;
    inFlight.begin();
    replay.holdUntil(replayKey, owner, outcome.settled);
    void outcome.settled.then(async (error) => {
      metrics.handlerDuration.observe((performance.now() - dispatched) / 1000);
      if (error === undefined) await replay.complete(replayKey, owner, parsed.timestamp);
      else await replay.release(replayKey, owner);
      logger.warn(
        { err: error, event_id: event.id, event_type: event.type, outcome: error === undefined ? "processed" : "handler_failed" },
        "handler settled after its timeout",
      );
      inFlight.end();
    });
    throw new DeliveryFailedError(ErrorCode.HANDLER_TIMEOUT, `handlers did not finish within ${deps.handlerTimeoutMs} ms`);
  }

  /**
   * Marks a handled event done. A remote store's done mark is queued on its connection now, ahead
   * of any later command there, but the answer does not wait for its reply: the answer is 200
   * whatever the reply says (a failure is retried in the background until the lease ends), and
   * waiting costs a second Redis round trip per delivery (docs/ARCHITECTURE.md, "Replay stores").
   * The first attempt counts as in flight, so a drain waits for it before the stores close.
   */
  function markDone(replayKey: string, owner: string, signedAtSeconds: number): void {
    const marking = replay.complete(replayKey, owner, signedAtSeconds);
    if (!isThenable(marking)) return;
    inFlight.begin();
    const end = (): void => inFlight.end();
    Promise.resolve(marking).then(end, end);
  }

  /** Steps 2 and 3: claim the event, run its handlers, mark it done or release it. */
  async function claimAndDispatch(verified: Verified, body: Uint8Array): Promise<Omit<DeliveryResult, keyof Facts>> {
    const { parsed, event, replayKey } = verified;
    const claimed = replay.claim(replayKey);
    const claim = isThenable(claimed) ? await claimed : claimed;
    if (claim.status === "duplicate") return success("duplicate", event.id);
    if (claim.status === "in_progress") {
      throw new DeliveryFailedError(ErrorCode.DELIVERY_IN_PROGRESS, "this event is being handled now; retry later");
    }
    const wanted = handlers.handlersFor(event.type);
    if (wanted.length === 0) {
      markDone(replayKey, claim.owner, parsed.timestamp);
      return success("ignored", event.id);
    }
    const context = new DeliveryContext(
      { id: event.id, type: event.type, timestamp: parsed.timestamp, scheme: scheme.name, deliveryId: parsed.correlationId, rawBody: body },
      logger,
    );
    const dispatched = performance.now();
    const outcome = await runHandlers(wanted, event, context, deps.handlerTimeoutMs);
    if (outcome.kind === "timeout") settleLate(verified, claim.owner, outcome, dispatched);
    metrics.handlerDuration.observe((performance.now() - dispatched) / 1000);
    if (outcome.kind === "ok") {
      markDone(replayKey, claim.owner, parsed.timestamp);
      return success("processed", event.id);
    }
    await replay.release(replayKey, claim.owner);
    logger.error({ err: outcome.error, event_id: event.id, event_type: event.type }, "handler failed");
    throw outcome.error;
  }

  const jobs = deps.jobs;
  const enqueueDeps = jobs === undefined ? undefined : { jobs, replay, scheme: scheme.name, clock, logger, afterStep: deps.afterEnqueueStep };

  async function receive(request: DeliveryRequest): Promise<DeliveryResult> {
    const facts: Facts = { eventId: undefined, eventType: undefined, deliveryId: undefined };
    try {
      const verifying = verify(request, facts);
      const verified = isThenable(verifying) ? await verifying : verifying;
      const answer = enqueueDeps === undefined ? await claimAndDispatch(verified, request.body) : await claimAndEnqueue(enqueueDeps, verified, request.body);
      return withFacts(answer.status, answer.body, answer.outcome, answer.retryAfterSeconds, facts);
    } catch (error) {
      const response = toErrorResponse(error);
      if (response.code === INTERNAL_ERROR) logger.error({ err: error }, "unexpected error in the receive pipeline");
      return withFacts(response.status, response.body, response.code, response.retryAfterSeconds, facts);
    }
  }

  return { receive, inFlight };
}
