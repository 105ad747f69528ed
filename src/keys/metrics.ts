// Prometheus metric of the key source, registered once per registry.
import { Counter } from "prom-client";
import type { Registry } from "prom-client";

/** Label values of `outcome` in `webhook_key_fetches_total`. */
export type KeyFetchOutcome = "success" | "unauthorized" | "http_error" | "unreachable" | "timeout" | "invalid_response" | "token_error";

/**
 * Creates (or reuses) `webhook_key_fetches_total{outcome}`: one per key endpoint request
 * (`token_error` when no request was made because no token could be had).
 */
export function createKeyMetrics(registry: Registry | undefined): (outcome: KeyFetchOutcome) => void {
  if (!registry) return () => undefined;
  const counter =
    (registry.getSingleMetric("webhook_key_fetches_total") as Counter<"outcome"> | undefined) ??
    new Counter({
      name: "webhook_key_fetches_total",
      help: "Key endpoint fetches, by outcome.",
      labelNames: ["outcome"],
      registers: [registry],
    });
  return (outcome) => counter.inc({ outcome });
}
