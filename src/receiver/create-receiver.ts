// createWebhookReceiver: the core as a library object (handlers, the front door, readiness, drain), with no HTTP framework.
import pino from "pino";
import type { HandlerRegistry } from "../dispatch/handler-registry.js";
import { createHandlerRegistry } from "../dispatch/handler-registry.js";
import { createRateLimits } from "../rate-limit/rate-limits.js";
import { createReceiverMetrics, type ReceiverMetrics } from "../observability/metrics.js";
import { notifyObserver } from "../pipeline/delivery-observer.js";
import { createOutcomeRecorder } from "../pipeline/outcome-recorder.js";
import { createPipeline, type DeliveryRequest, type DeliveryResult } from "../pipeline/receive-delivery.js";
import { createReplayGuard } from "../pipeline/replay-guard.js";
import { createJobQueue } from "../queue/job-queue.js";
import { startJobWorkers, type JobWorkers } from "../queue/job-workers.js";
import { registerQueueGauges } from "../queue/queue-gauges.js";
import { createEvictionWarning } from "../replay/eviction-warning.js";
import { createMemoryReplayStore } from "../replay/memory-replay-store.js";
import { leaseMsFor } from "../replay/replay-policy.js";
import { schemes } from "../signature/schemes.js";
import { createRequestHandler } from "./handle-request.js";
import { resolveOptions, type ReceiverConfig, type ReceiverOptions } from "./options.js";
import type { WebhookAnswer, WebhookRequest } from "./webhook-request.js";

/** Readiness of the receiver for `/readyz`. */
export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ready: boolean; readonly reason?: string }>>;
}

/**
 * A webhook receiver without an HTTP framework: register handlers with `on`, serve it through an
 * adapter (`createNodeMiddleware`, `createFetchHandler`, or `createReceiver`'s Express router).
 */
export interface WebhookReceiver {
  /** Registers a handler for an event type, or `"*"` for all (README, "Handlers"). */
  readonly on: HandlerRegistry["on"];
  /**
   * The front door every adapter calls: rate limits, method, media type, body limit, the
   * pipeline, one record of the outcome. `undefined`: the sender is gone, close its connection.
   */
  handle(request: WebhookRequest): Promise<WebhookAnswer | undefined>;
  /**
   * The pipeline without HTTP (no limits): exact body bytes and headers in, status and JSON body
   * out; the outcome is recorded (log line and metric) as for any delivery.
   */
  receive(request: DeliveryRequest): Promise<DeliveryResult>;
  /**
   * Queue mode: starts `workerConcurrency` workers in this process, running the handlers
   * registered so far on queued events (call it after registering them). Does nothing in inline
   * mode, with `workerConcurrency` 0, or when already started.
   */
  startWorkers(): void;
  /** Key source, replay store (and queue) readiness. */
  readiness(): Promise<Readiness>;
  /** Deliveries in flight, including handlers that outlived their timeout. */
  inFlight(): number;
  /** Resolves when nothing is in flight. */
  drained(): Promise<void>;
  /** The metrics instruments and their registry. */
  readonly metrics: ReceiverMetrics;
  /** The resolved configuration. */
  readonly config: ReceiverConfig;
  /**
   * Stops timers, stops the queue workers (running events get up to `handlerTimeoutMs`), and
   * closes the key source, replay store and queue (after draining, on shutdown).
   */
  close(): Promise<void>;
}

/**
 * Creates the core receiver.
 * @throws ConfigError naming the option at fault
 */
export function createWebhookReceiver(options: ReceiverOptions): WebhookReceiver {
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
  const replay = createReplayGuard({
    store,
    leaseMs: leaseMsFor(config.handlerTimeoutMs),
    retentionSeconds: config.replayRetentionSeconds,
    toleranceSeconds: config.toleranceSeconds,
    clock: config.clock,
    logger,
    metrics,
  });
  const queue = config.queue;
  const jobs =
    queue === undefined
      ? undefined
      : createJobQueue({ ...queue, attempts: config.jobAttempts, retentionSeconds: config.replayRetentionSeconds, logger });
  if (jobs !== undefined) registerQueueGauges({ registry: metrics.registry, counts: () => jobs.counts(), clock: config.clock, logger });
  let workers: JobWorkers | undefined;
  const pipeline = createPipeline({
    scheme: schemes[config.scheme],
    toleranceSeconds: config.toleranceSeconds,
    keySource: config.keySource,
    replay,
    jobs,
    afterEnqueueStep: config.afterEnqueueStep,
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
  const record = createOutcomeRecorder(logger, metrics);
  const observer = config.observer;
  const handle = createRequestHandler({
    pipeline,
    rateLimits,
    maxBodyBytes: config.maxBodyBytes,
    allowlist: config.allowlist,
    record,
    clock: config.clock,
    logger,
    observer,
  });

  return {
    on: (type, handler) => handlers.on(type, handler),
    handle,
    async receive(request) {
      const started = performance.now();
      pipeline.inFlight.begin();
      try {
        const result = await pipeline.receive(request);
        const delivery = { ...result, durationMs: performance.now() - started };
        record(delivery);
        if (observer !== undefined) {
          notifyObserver(observer, { ...delivery, headers: request.headers, body: request.body, answer: result.body, answeredAt: config.clock.now() });
        }
        return result;
      } finally {
        pipeline.inFlight.end();
      }
    },
    startWorkers() {
      if (queue === undefined || config.workerConcurrency === 0 || workers !== undefined) return;
      workers = startJobWorkers({
        ...queue,
        concurrency: config.workerConcurrency,
        attempts: config.jobAttempts,
        backoffMs: config.jobBackoffMs,
        lockMs: config.jobLockMs,
        clock: config.clock,
        handlers,
        handlerTimeoutMs: config.handlerTimeoutMs,
        sealDedupe: (event) => replay.seal(event.replayKey, event.claimOwner, event.timestamp),
        logger,
        metrics,
      });
    },
    async readiness(): Promise<Readiness> {
      const keys = config.keySource.readiness();
      let replayStore: { ready: boolean; reason?: string };
      try {
        replayStore = await store.readiness();
      } catch (error) {
        replayStore = { ready: false, reason: error instanceof Error ? error.message : "replay store check failed" };
      }
      if (jobs === undefined) return { ready: keys.ready && replayStore.ready, checks: { keys, replay_store: replayStore } };
      const queued = jobs.readiness();
      return { ready: keys.ready && replayStore.ready && queued.ready, checks: { keys, replay_store: replayStore, queue: queued } };
    },
    inFlight: () => pipeline.inFlight.count,
    drained: () => pipeline.inFlight.drained(),
    metrics,
    config,
    async close() {
      rateLimits.close();
      await workers?.close(config.handlerTimeoutMs);
      await Promise.all([config.keySource.close?.(), store.close(), jobs?.close()]);
    },
  };
}
