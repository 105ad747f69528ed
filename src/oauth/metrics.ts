// Prometheus metrics of the token flow, registered once per registry.
import { Counter, Histogram } from "prom-client";
import type { Registry } from "prom-client";

/** What the token provider records per HTTP attempt. */
export interface TokenMetrics {
  observe(outcome: TokenOutcome, seconds: number): void;
}

/** Label values of `outcome`. */
export type TokenOutcome = "success" | "oauth_error" | "server_error" | "network_error" | "timeout" | "invalid_response" | "insufficient_scope";

/**
 * Creates (or reuses, when already in `registry`) `webhook_token_requests_total{outcome}` and
 * `webhook_token_request_duration_seconds{outcome}`, with `client="<client>"` added when given.
 * Without a registry nothing is recorded.
 */
export function createTokenMetrics(registry: Registry | undefined, client?: string): TokenMetrics {
  if (!registry) return { observe: () => undefined };
  const requests =
    (registry.getSingleMetric("webhook_token_requests_total") as Counter<"outcome" | "client"> | undefined) ??
    new Counter({
      name: "webhook_token_requests_total",
      help: "Token endpoint requests (each attempt), by outcome.",
      labelNames: ["outcome", "client"],
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric("webhook_token_request_duration_seconds") as Histogram<"outcome" | "client"> | undefined) ??
    new Histogram({
      name: "webhook_token_request_duration_seconds",
      help: "Token endpoint request latency (each attempt), by outcome.",
      labelNames: ["outcome", "client"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return {
    observe(outcome, seconds) {
      const labels = client === undefined ? { outcome } : { outcome, client };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
