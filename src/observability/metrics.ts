// Prometheus metrics of the receive pipeline, on a registry the receiver owns.
import { Counter, Histogram, Registry } from "prom-client";

/** The pipeline's instruments. */
export interface ReceiverMetrics {
  readonly registry: Registry;
  /** Counts one delivery by outcome (`processed`, `duplicate`, `ignored` or an error code). */
  countDelivery(outcome: string): void;
  /** Seconds spent verifying the signature (HMAC over the body, all candidates). */
  readonly verifyDuration: Histogram;
  /** Seconds from dispatch to the handlers settling. */
  readonly handlerDuration: Histogram;
  /** Live replay entries evicted for room before their time (replayable within the window). */
  readonly replayEvictions: Counter;
  /** Events handled whose "done" mark could not be stored (then at-least-once). */
  readonly replayCompleteFailures: Counter;
  /** Claims of handlers still running that could not be extended (lost, or the store failed). */
  readonly replayLostClaims: Counter;
  /** Queue mode: job runs by outcome (`processed`, `ignored`, `retried`, `dead_lettered`). */
  readonly jobs: Counter<"outcome">;
  /** Queue mode: seconds from queueing to a job's first run. */
  readonly jobQueueDuration: Histogram;
  /** Queue mode: errors the workers met talking to Redis (fetching, locking, completing jobs). */
  readonly queueWorkerErrors: Counter;
}

/** Creates the metrics on `registry` (a new one by default, so receivers do not collide). */
export function createReceiverMetrics(registry: Registry = new Registry()): ReceiverMetrics {
  const deliveries = new Counter({
    name: "webhook_deliveries_total",
    help: "Webhook deliveries by outcome",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const byOutcome = new Map<string, Counter.Internal>();
  return {
    registry,
    countDelivery(outcome) {
      let child = byOutcome.get(outcome);
      if (child === undefined) {
        child = deliveries.labels(outcome);
        byOutcome.set(outcome, child);
      }
      child.inc();
    },
    verifyDuration: new Histogram({
      name: "webhook_verify_duration_seconds",
      help: "Signature verification time",
      buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01],
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: "webhook_handler_duration_seconds",
      help: "Time from dispatch until the handlers settle",
      buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    replayEvictions: new Counter({
      name: "webhook_replay_evictions_total",
      help: "Replay entries evicted for room before they expired",
      registers: [registry],
    }),
    replayCompleteFailures: new Counter({
      name: "webhook_replay_complete_failures_total",
      help: "Handled events whose done mark could not be stored",
      registers: [registry],
    }),
    replayLostClaims: new Counter({
      name: "webhook_replay_lost_claims_total",
      help: "Claims of handlers still running that could not be extended (lost, or the store failed)",
      registers: [registry],
    }),
    jobs: new Counter({
      name: "webhook_jobs_total",
      help: "Queued event runs by outcome (processed, ignored, retried, dead_lettered)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    jobQueueDuration: new Histogram({
      name: "webhook_job_queue_seconds",
      help: "Time from queueing an event to its first run",
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    queueWorkerErrors: new Counter({
      name: "webhook_queue_worker_errors_total",
      help: "Errors queue workers met talking to Redis (fetching, locking or completing jobs)",
      registers: [registry],
    }),
  };
}
