// createReceiver: the whole pipeline as a library object (handlers, Express middleware, readiness, drain).
import { Router, type RequestHandler } from "express";
import pino from "pino";
import type { HandlerRegistry } from "../dispatch/handler-registry.js";
import { createHandlerRegistry } from "../dispatch/handler-registry.js";
import { createRateLimits } from "../rate-limit/rate-limits.js";
import { sendJson } from "../http/send-json.js";
import { createWebhookMiddleware } from "../http/webhook-middleware.js";
import { createReceiverMetrics, type ReceiverMetrics } from "../observability/metrics.js";
import { createPipeline, type DeliveryRequest, type DeliveryResult } from "../pipeline/receive-delivery.js";
import { createReplayGuard } from "../pipeline/replay-guard.js";
import { createEvictionWarning } from "../replay/eviction-warning.js";
import { createMemoryReplayStore } from "../replay/memory-replay-store.js";
import { leaseMsFor } from "../replay/replay-policy.js";
import { schemes } from "../signature/schemes.js";
import { resolveOptions, type ReceiverConfig, type ReceiverOptions } from "./options.js";

/** Readiness of the receiver for `/readyz`. */
export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ready: boolean; readonly reason?: string }>>;
}

/** A webhook receiver: register handlers with `on`, mount `router` or `middleware`. */
export interface Receiver {
  /** Registers a handler for an event type, or `"*"` for all (DESIGN.md section 6). */
  readonly on: HandlerRegistry["on"];
  /** Router answering `POST /` (mount it at your webhook path) and 405 for other methods. */
  readonly router: Router;
  /** The handler chain, for `app.post(path, ...receiver.middleware)`. */
  readonly middleware: RequestHandler[];
  /** The 405 answer for other methods on the webhook path, for `app.all(path, ...)`. */
  readonly methodNotAllowed: RequestHandler;
  /** The pipeline without HTTP: exact body bytes and headers in, status and JSON body out. */
  receive(request: DeliveryRequest): Promise<DeliveryResult>;
  /** Key source and replay store readiness. */
  readiness(): Promise<Readiness>;
  /** Deliveries in flight, including handlers that outlived their timeout. */
  inFlight(): number;
  /** Resolves when nothing is in flight. */
  drained(): Promise<void>;
  /** The metrics instruments and their registry. */
  readonly metrics: ReceiverMetrics;
  /** The resolved configuration. */
  readonly config: ReceiverConfig;
  /** Stops timers and closes the key source and replay store (after draining, on shutdown). */
  close(): Promise<void>;
}

/**
 * Creates a receiver.
 * @throws ConfigError naming the option at fault
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  const config = resolveOptions(options);
  const logger = config.logger ?? pino({ level: "silent" });
  const metrics = createReceiverMetrics(config.registry);
  const store =
    config.replayStore ??
    createMemoryReplayStore({
      maxEntries: config.replayMaxEntries,
      clock: config.clock,
      onEvict: createEvictionWarning({
        logger,
        clock: config.clock,
        counter: metrics.replayEvictions,
        maxEntries: config.replayMaxEntries,
        retentionSeconds: config.replayRetentionSeconds,
      }),
    });
  const handlers = createHandlerRegistry();
  const pipeline = createPipeline({
    scheme: schemes[config.scheme],
    toleranceSeconds: config.toleranceSeconds,
    keySource: config.keySource,
    replay: createReplayGuard({
      store,
      leaseMs: leaseMsFor(config.handlerTimeoutMs),
      retentionSeconds: config.replayRetentionSeconds,
      toleranceSeconds: config.toleranceSeconds,
      clock: config.clock,
      logger,
      metrics,
    }),
    handlers,
    handlerTimeoutMs: config.handlerTimeoutMs,
    clock: config.clock,
    logger,
    metrics,
  });
  const rateLimits = createRateLimits({
    perMinute: config.rateLimitPerMinute,
    failuresPerMinute: config.rateLimitFailuresPerMinute,
    counter: config.rateLimitCounter,
    logger,
  });
  const middleware = createWebhookMiddleware({
    pipeline,
    maxBodyBytes: config.maxBodyBytes,
    rateLimits,
    metrics,
    logger,
  });
  const methodNotAllowed: RequestHandler = (_req, res) => {
    res.setHeader("Allow", "POST");
    sendJson(res, 405, { error: "method_not_allowed", message: "use POST" });
  };
  const router = Router();
  router.post("/", ...middleware);
  router.all("/", methodNotAllowed);

  return {
    on: (type, handler) => handlers.on(type, handler),
    router,
    middleware,
    methodNotAllowed,
    receive: (request) => pipeline.receive(request),
    async readiness() {
      const keys = config.keySource.readiness();
      let replay: { ready: boolean; reason?: string };
      try {
        replay = await store.readiness();
      } catch (error) {
        replay = { ready: false, reason: error instanceof Error ? error.message : "replay store check failed" };
      }
      return { ready: keys.ready && replay.ready, checks: { keys, replay_store: replay } };
    },
    inFlight: () => pipeline.inFlight.count,
    drained: () => pipeline.inFlight.drained(),
    metrics,
    config,
    async close() {
      rateLimits.close();
      await Promise.all([config.keySource.close?.(), store.close()]);
    },
  };
}
