// Prometheus counters of secret file re-reads (README, "Secrets from files"), registered once per registry.
import { Counter } from "prom-client";
import type { Registry } from "prom-client";

/** Why a re-read file was not applied: it could not be read, or its content was refused. */
export type SecretReloadFailure = "unreadable" | "invalid";

/** The counters of {@link createSecretReloadMetrics}. */
export interface SecretReloadMetrics {
  /** `webhook_secret_reloads_total{variable}`: a changed file applied. */
  reloaded(variable: string): void;
  /** `webhook_secret_reload_failures_total{variable,reason}`: a file kept at its previous value. */
  failed(variable: string, reason: SecretReloadFailure): void;
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  return (registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

/** Creates (or reuses) the two counters on `registry`. */
export function createSecretReloadMetrics(registry: Registry): SecretReloadMetrics {
  const reloads = counter(registry, "webhook_secret_reloads_total", "Secret files re-read and applied, by variable.", ["variable"]);
  const failures = counter(
    registry,
    "webhook_secret_reload_failures_total",
    "Secret files re-read but not applied (unreadable or invalid; the previous value stays), by variable.",
    ["variable", "reason"],
  );
  return {
    reloaded: (variable) => reloads.inc({ variable }),
    failed: (variable, reason) => failures.inc({ variable, reason }),
  };
}
