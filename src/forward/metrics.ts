// Prometheus metrics of forwarding: forwards by outcome and their latency.
import { Counter, Histogram, type Registry } from "prom-client";

/** Label values of `outcome`. */
export type ForwardOutcome = "delivered" | "retryable" | "permanent" | "timeout" | "network_error" | "token_error";

/** What the forwarder records per forwarded event (a 401 retry included in the one observation). */
export interface ForwardMetrics {
  observe(outcome: ForwardOutcome, seconds: number): void;
}

/**
 * Creates `webhook_forwards_total{outcome}` and `webhook_forward_duration_seconds{outcome}` on
 * `registry`. Without a registry nothing is recorded.
 */
export function createForwardMetrics(registry: Registry | undefined): ForwardMetrics {
  if (registry === undefined) return { observe: () => undefined };
  const forwards = new Counter({
    name: "webhook_forwards_total",
    help: "Events forwarded to FORWARD_URL, by outcome",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "webhook_forward_duration_seconds",
    help: "Time to forward one event (token, request, one 401 retry), by outcome",
    labelNames: ["outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observe(outcome, seconds) {
      forwards.inc({ outcome });
      duration.observe({ outcome }, seconds);
    },
  };
}
