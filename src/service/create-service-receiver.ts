// The receiver of the service, built from its config: key source, shared stores, queue, handlers (serve and worker share it).
import type { Logger } from "pino";
import { Registry } from "prom-client";
import type { ServiceConfig } from "../config/env.js";
import { createReceiver, type Receiver } from "../http/express-receiver.js";
import type { RemoteKeySource } from "../keys/remote-key-source.js";
import type { ReceiverOptions } from "../receiver/options.js";
import { createServiceKeySource } from "./create-key-source.js";
import { createServiceForwarder } from "./create-service-forwarder.js";
import { createSharedStores, type SharedStores } from "./create-shared-stores.js";
import { createStaticKeySource } from "../keys/static-key-source.js";
import type { Forwarder } from "../forward/create-forwarder.js";
import { loadHandlers } from "./load-handlers.js";
import { startSecretFileReloader, type SecretFileReloader } from "./secret-file-reloader.js";

/** The receiver with what the service must start and close around it. */
export interface ServiceReceiver {
  readonly receiver: Receiver;
  readonly stores: SharedStores;
  /** The remote key source when keys come from `WEBHOOK_KEY_URL` (warm it up to serve). */
  readonly remote: RemoteKeySource | undefined;
  /** Re-reads of the `*_FILE` secrets (close it on stop); undefined when none is set. */
  readonly secretFiles: SecretFileReloader | undefined;
  /** The built-in forward handler when `FORWARD_URL` is set (close it after the receiver). */
  readonly forwarder: Forwarder | undefined;
}

/** Options on top of the config, and handlers registered in-process (dev command, tests). */
export interface ServiceReceiverOverrides extends Partial<ReceiverOptions> {
  /** Registers handlers in-process (the dev command, tests), besides `HANDLERS`. */
  readonly register?: (receiver: Receiver) => void | Promise<void>;
  /** The fallback poll of secret files. Defaults to 30000 ms. */
  readonly secretFilePollMs?: number;
}

/** Builds the receiver and registers the handlers (`HANDLERS`, then `register`). */
export async function createServiceReceiver(config: ServiceConfig, logger: Logger, overrides: ServiceReceiverOverrides = {}): Promise<ServiceReceiver> {
  const { register, secretFilePollMs, ...receiverOverrides } = overrides;
  const registry = receiverOverrides.registry ?? new Registry();
  const remote =
    config.keys.kind === "remote" && receiverOverrides.keySource === undefined && receiverOverrides.secret === undefined
      ? createServiceKeySource(config.keys, { logger, registry, clock: receiverOverrides.clock, scheme: config.scheme })
      : undefined;
  // A secret file feeds a static source that can swap its secrets.
  const fileKeys =
    config.keys.kind === "static" && config.keys.file !== undefined && receiverOverrides.keySource === undefined && receiverOverrides.secret === undefined
      ? createStaticKeySource(config.keys.secrets)
      : undefined;
  const stores = await createSharedStores(config, logger);
  const receiver = createReceiver({
    scheme: config.scheme,
    replayStore: stores.replayStore,
    rateLimitCounter: stores.rateLimitCounter,
    ...(remote !== undefined ? { keySource: remote } : fileKeys !== undefined ? { keySource: fileKeys } : config.keys.kind === "static" ? { secret: config.keys.secrets } : {}),
    registry,
    toleranceSeconds: config.toleranceSeconds,
    maxBodyBytes: config.maxBodyBytes,
    handlerTimeoutMs: config.handlerTimeoutMs,
    replayMaxEntries: config.replayMaxEntries,
    replayRetentionSeconds: config.replayRetentionSeconds,
    rateLimitPerMinute: config.rateLimitPerMinute,
    rateLimitFailuresPerMinute: config.rateLimitFailuresPerMinute,
    ...(config.allowedSourceIps === undefined ? {} : { allowedSourceIps: config.allowedSourceIps }),
    ...(stores.queue === undefined ? {} : { dispatch: "queue" as const, ...stores.queue }),
    workerConcurrency: config.workerConcurrency,
    jobAttempts: config.jobAttempts,
    jobBackoffMs: config.jobBackoffMs,
    jobLockMs: config.jobLockMs,
    logger,
    ...receiverOverrides,
  });
  if (config.handlersModule !== undefined) await loadHandlers(config.handlersModule, receiver);
  await register?.(receiver);
  const keys = config.keys;
  const secretFiles = startSecretFileReloader({
    webhookSecret: fileKeys !== undefined && keys.kind === "static" && keys.file !== undefined ? { ...keys.file, scheme: config.scheme, source: fileKeys } : undefined,
    clientAuth: remote !== undefined && keys.kind === "remote" ? { source: keys.authSource, fileHashes: keys.fileHashes, tokens: remote.tokens } : undefined,
    logger,
    registry,
    pollIntervalMs: secretFilePollMs,
  });
  const forwarder = config.forward === undefined ? undefined : createServiceForwarder(config.forward, { logger, registry, clock: receiverOverrides.clock });
  if (forwarder !== undefined) for (const type of forwarder.registrations) receiver.on(type, forwarder.handler);
  return { receiver, stores, remote, secretFiles, forwarder };
}
