// Operational endpoints: /healthz (alive), /readyz (keys and store), /metrics (Prometheus text).
import { Router } from "express";
import type { Receiver } from "../receiver/create-receiver.js";
import { sendJson } from "./send-json.js";

/** Creates the router of the operational endpoints. */
export function createOpsRoutes(receiver: Receiver, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => sendJson(res, 200, { status: "ok" }));
  router.get("/readyz", async (_req, res) => {
    const readiness = await receiver.readiness();
    const checks = isShuttingDown()
      ? { ...readiness.checks, shutdown: { ready: false, reason: "shutting down" } }
      : readiness.checks;
    const ready = readiness.ready && !isShuttingDown();
    sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not_ready", checks });
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
