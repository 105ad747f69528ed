// The one place a delivery's outcome is recorded: one log line and one metric, whichever step refused or answered it.
import type { Logger } from "pino";
import type { ReceiverMetrics } from "../observability/metrics.js";

/** What is known of one answered delivery. Never a body, secret, signature or token. */
export interface DeliveryRecord {
  readonly status: number;
  /** `processed`, `duplicate`, `ignored`, `queued` or the error code. */
  readonly outcome: string;
  readonly eventId?: string | undefined;
  readonly eventType?: string | undefined;
  readonly deliveryId?: string | undefined;
  readonly durationMs: number;
  /** The client address, on a `forbidden_source` refusal (who tried to deliver). */
  readonly sourceAddress?: string | undefined;
}

/** Records outcomes: `webhook_deliveries_total{outcome}` and the delivery log line. */
export type OutcomeRecorder = (record: DeliveryRecord) => void;

/** Creates the recorder (info for 2xx, warn for 4xx, error for 5xx). */
export function createOutcomeRecorder(logger: Logger, metrics: ReceiverMetrics): OutcomeRecorder {
  // The line has a fixed shape (ids, outcome, status, duration: never a secret), so it skips the
  // redaction pass, which costs more than the line itself; other logs keep it.
  const deliveryLog = logger.child({}, { redact: { paths: [] } });
  return (record) => {
    metrics.countDelivery(record.outcome);
    const line = {
      event_id: record.eventId,
      event_type: record.eventType,
      delivery_id: record.deliveryId,
      outcome: record.outcome,
      status: record.status,
      duration_ms: Math.round(record.durationMs * 1000) / 1000,
      source_address: record.sourceAddress,
    };
    if (record.status < 400) deliveryLog.info(line, "delivery");
    else if (record.status < 500) deliveryLog.warn(line, "delivery rejected");
    else deliveryLog.error(line, "delivery failed");
  };
}
