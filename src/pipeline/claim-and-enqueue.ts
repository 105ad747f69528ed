// Queue mode's step after verification: claim the dedupe key, add the job, mark done, answer 202 (docs/ARCHITECTURE.md).
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { DeliveryFailedError, ErrorCode } from "../errors.js";
import { isThenable } from "../maybe-promise.js";
import type { JobQueue } from "../queue/job-queue.js";
import type { QueuedEvent } from "../queue/queued-event.js";
import type { SchemeName } from "../signature/scheme.js";
import type { DeliveryResult, Verified } from "./receive-delivery.js";
import type { ClaimResult } from "../replay/replay-store.js";
import type { ReplayGuard } from "./replay-guard.js";

/** What the step needs. */
export interface EnqueueDependencies {
  readonly jobs: JobQueue;
  readonly replay: ReplayGuard;
  readonly scheme: SchemeName;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Fault-injection tests only: called after each step (a test process kills itself there). */
  readonly afterStep?: ((step: EnqueueStep) => void) | undefined;
}

/** The steps of the enqueue path, in order. */
export type EnqueueStep = "claimed" | "queued" | "done";

/** The answer of a step, before the pipeline adds what it learned of the delivery. */
export type StepAnswer = Pick<DeliveryResult, "status" | "body" | "outcome" | "retryAfterSeconds">;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The claim, with a store failure reported as the queue's: in queue mode the claim is the first
 * step of queueing, and the store and the queue usually share one Redis (README, "Queue mode").
 */
async function claimFor(replay: ReplayGuard, key: string): Promise<ClaimResult> {
  try {
    const claimed = replay.claim(key);
    return isThenable(claimed) ? await claimed : claimed;
  } catch (error) {
    if (!(error instanceof DeliveryFailedError) || error.code !== ErrorCode.REPLAY_STORE_UNAVAILABLE) throw error;
    throw new DeliveryFailedError(ErrorCode.QUEUE_UNAVAILABLE, "the event queue is unavailable; retry later", { cause: error });
  }
}

/**
 * Claims the event (`duplicate` -> 200, `in_progress` -> 409), adds its job, then marks it done
 * for the retention and answers `202 queued` only once Redis has the job. An enqueue that fails
 * or outlives its bound releases the claim and answers 503 `queue_unavailable`: nothing
 * acknowledged is lost. A receiver dying after the claim blocks the event until the lease ends;
 * after the add, the job id (the encoded dedupe key) keeps a retry from queueing it twice.
 * @throws DeliveryFailedError `delivery_in_progress` or `queue_unavailable` (also when the claim's store fails)
 */
export async function claimAndEnqueue(deps: EnqueueDependencies, verified: Verified, body: Uint8Array): Promise<StepAnswer> {
  const { parsed, event, replayKey } = verified;
  const claim = await claimFor(deps.replay, replayKey);
  if (claim.status === "duplicate") return { status: 200, body: { status: "duplicate", id: event.id }, outcome: "duplicate", retryAfterSeconds: undefined };
  if (claim.status === "in_progress") {
    throw new DeliveryFailedError(ErrorCode.DELIVERY_IN_PROGRESS, "this event is being queued now; retry later");
  }
  deps.afterStep?.("claimed");
  const queued: QueuedEvent = {
    body: utf8.decode(body),
    id: event.id,
    type: event.type,
    timestamp: parsed.timestamp,
    scheme: deps.scheme,
    deliveryId: parsed.correlationId,
    queuedAt: deps.clock.now(),
    replayKey,
    claimOwner: claim.owner,
  };
  try {
    await deps.jobs.add(queued);
  } catch (error) {
    await deps.replay.release(replayKey, claim.owner);
    deps.logger.warn({ err: error, event_id: event.id, event_type: event.type }, "could not queue a verified event");
    throw new DeliveryFailedError(ErrorCode.QUEUE_UNAVAILABLE, "the event queue is unavailable; retry later", { cause: error });
  }
  deps.afterStep?.("queued");
  const marking = deps.replay.complete(replayKey, claim.owner, parsed.timestamp);
  if (isThenable(marking)) await marking;
  deps.afterStep?.("done");
  return { status: 202, body: { status: "queued", id: event.id }, outcome: "queued", retryAfterSeconds: undefined };
}
