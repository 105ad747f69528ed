// Running the service: receiver + app on a port, with server timeouts and graceful shutdown.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { ServiceConfig } from "../config/env.js";
import { createApp, createOpsApp } from "../http/create-app.js";
import { createExpressServer } from "../http/express-server.js";
import type { Receiver } from "../http/express-receiver.js";
import { createServiceReceiver, type ServiceReceiverOverrides } from "./create-service-receiver.js";

/** A running service. */
export interface RunningService {
  readonly server: Server;
  readonly receiver: Receiver;
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The listener of /healthz, /readyz and /metrics when `OPS_PORT` is set. */
  readonly opsServer: Server | undefined;
  /** Its base URL, e.g. `http://127.0.0.1:9090`. */
  readonly opsUrl: string | undefined;
  /** Re-reads the `*_FILE` secrets now, as `SIGHUP` does (resolves once applied). */
  reloadSecretFiles(): Promise<void>;
  /** Stops accepting, drains in-flight deliveries (bounded), closes stores. Idempotent. */
  shutdown(): Promise<void>;
}

/** How long a client may take, in ms: slow or idle clients cannot hold the server. */
export interface ServerTimeouts {
  /** Until the request headers are complete. */
  readonly headersTimeout: number;
  /** Until the whole request (headers and body) is received: bounds a trickled body. */
  readonly requestTimeout: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeout: number;
  /** How often Node checks the two timeouts above (its default, 30 s, lets them overrun). */
  readonly connectionsCheckingInterval: number;
}

/** The service's defaults. */
export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

/** Extra wiring for tests and the dev command. */
export interface ServiceOverrides extends ServiceReceiverOverrides {
  /** Server timeouts; defaults to {@link DEFAULT_SERVER_TIMEOUTS}. */
  readonly serverTimeouts?: Partial<ServerTimeouts>;
  /** Most simultaneous connections (more are refused). Defaults to no limit: cap at the proxy. */
  readonly maxConnections?: number;
  /** More routes on the public listener (the dev inspector; never set by `serve`). */
  readonly extraRoutes?: RequestHandler;
}

/** Starts the service and resolves once it listens. */
export async function startService(
  config: ServiceConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<RunningService> {
  const { serverTimeouts, maxConnections, extraRoutes, ...receiverOverrides } = overrides;
  const { receiver, stores, remote, secretFiles, forwarder } = await createServiceReceiver(config, logger, receiverOverrides);
  // Queue mode: WORKER_CONCURRENCY workers in this process, once every handler is registered.
  receiver.startWorkers();

  let shuttingDown = false;
  const isShuttingDown = (): boolean => shuttingDown;
  const app = createApp({
    receiver,
    path: config.path,
    logger,
    trustProxy: config.trustProxy,
    isShuttingDown,
    opsRoutes: config.ops === undefined,
    extraRoutes,
  });
  const timeouts = { ...DEFAULT_SERVER_TIMEOUTS, ...serverTimeouts };
  const server = createExpressServer(app, timeouts);
  if (maxConnections !== undefined) server.maxConnections = maxConnections;
  const url = await listen(server, config.port, config.host);
  const opsServer = config.ops === undefined ? undefined : createExpressServer(createOpsApp({ receiver, logger, isShuttingDown }), timeouts);
  const opsUrl = opsServer === undefined || config.ops === undefined ? undefined : await listen(opsServer, config.ops.port, config.ops.host);
  // Fetch the first keys in the background: /readyz says not-ready (and why) until they arrive.
  if (remote !== undefined) void remote.warmUp();

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      shuttingDown = true;
      secretFiles?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Handlers past their timeout keep their claim until they settle; wait for them too, bounded.
      const limit = new Promise<void>((resolve) => setTimeout(resolve, config.handlerTimeoutMs + 5_000).unref());
      await Promise.race([receiver.drained(), limit]);
      if (receiver.inFlight() > 0) logger.warn({ in_flight: receiver.inFlight() }, "shutdown: deliveries still in flight");
      // The adapters write each answer just after it settles: let them, then cut what is left.
      await new Promise((resolve) => setImmediate(resolve));
      server.closeAllConnections();
      await closed;
      // The ops listener stays up while draining, so probes see /readyz answer 503.
      if (opsServer !== undefined) {
        const opsClosed = new Promise<void>((resolve) => opsServer.close(() => resolve()));
        opsServer.closeAllConnections();
        await opsClosed;
      }
      await receiver.close();
      await forwarder?.close();
      await stores.close();
    })();
    return stopping;
  };
  const reloadSecretFiles = (): Promise<void> => secretFiles?.reload() ?? Promise.resolve();
  return { server, receiver, url, opsServer, opsUrl, reloadSecretFiles, shutdown };
}

/** Listens on `host:port` and resolves with the base URL (a wildcard host reads as 127.0.0.1). */
async function listen(server: Server, port: number, host: string): Promise<string> {
  server.listen(port, host);
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shown === "0.0.0.0" || shown === "[::]" ? "127.0.0.1" : shown}:${address.port}`;
}
