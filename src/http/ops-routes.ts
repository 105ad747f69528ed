// Operational endpoints: /healthz (alive), /readyz (keys and store), /metrics (Prometheus text).
import { Router } from "express";
import type { Readiness, WebhookReceiver } from "../receiver/create-receiver.js";
import { createReadinessProbe } from "./readiness-probe.js";
import { sendJson } from "./send-json.js";

/** Options of {@link createOpsRoutes}. */
export interface OpsRouteOptions {
  /** Whether the service is draining (then /readyz answers 503). */
  readonly isShuttingDown: () => boolean;
  /**
   * Whether /readyz says why a check failed. The reasons can carry upstream details (a key
   * endpoint's error, a Redis failure), so they are given only on the separate ops listener.
   */
  readonly reasons: boolean;
}

type Checks = Readiness["checks"];

function withoutReasons(checks: Checks): Checks {
  return Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, { ready: check.ready }]));
}

/** Creates the router of the operational endpoints; /readyz answers from {@link createReadinessProbe}. */
export function createOpsRoutes(receiver: WebhookReceiver, options: OpsRouteOptions): Router {
  const router = Router();
  const readiness = createReadinessProbe(() => receiver.readiness(), receiver.config.clock);
  router.get("/healthz", (_req, res) => sendJson(res, 200, { status: "ok" }));
  router.get("/readyz", async (_req, res) => {
    const current = await readiness();
    const draining = options.isShuttingDown();
    const all = draining ? { ...current.checks, shutdown: { ready: false, reason: "shutting down" } } : current.checks;
    const ready = current.ready && !draining;
    sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not_ready", checks: options.reasons ? all : withoutReasons(all) });
  });
  router.get("/metrics", async (_req, res) => {
    const registry = receiver.metrics.registry;
    const body = await registry.metrics();
    res.setHeader("Content-Type", registry.contentType);
    res.setHeader("Cache-Control", "no-store");
    res.end(body);
  });
  return router;
}
