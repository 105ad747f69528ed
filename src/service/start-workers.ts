// `chatgpt-webhooks worker`: queue workers with no public listener, so receivers and workers scale apart.
import type { Logger } from "pino";
import type { ServiceConfig } from "../config/env.js";
import { ConfigError } from "../errors.js";
import type { Receiver } from "../http/express-receiver.js";
import { createServiceReceiver, type ServiceReceiverOverrides } from "./create-service-receiver.js";

/** Running workers. */
export interface RunningWorkers {
  readonly receiver: Receiver;
  /** Stops taking jobs, lets running ones finish (up to `HANDLER_TIMEOUT_MS`), closes connections. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Starts `WORKER_CONCURRENCY` workers on the queue of `config`.
 * @throws ConfigError `DISPATCH` unless it is `queue`; `WORKER_CONCURRENCY` when it is 0
 */
export async function startWorkers(config: ServiceConfig, logger: Logger, overrides: ServiceReceiverOverrides = {}): Promise<RunningWorkers> {
  if (config.dispatch.kind !== "queue") throw new ConfigError("DISPATCH", 'must be "queue" to run workers');
  if (config.workerConcurrency === 0) throw new ConfigError("WORKER_CONCURRENCY", "must be at least 1 to run workers");
  const { receiver, stores, secretFiles, forwarder } = await createServiceReceiver(config, logger, overrides);
  receiver.startWorkers();
  let stopping: Promise<void> | undefined;
  return {
    receiver,
    shutdown: () =>
      (stopping ??= (async () => {
        secretFiles?.close();
        await receiver.close();
        await forwarder?.close();
        await stores.close();
      })()),
  };
}
