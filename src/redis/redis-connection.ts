// One node-redis client per process, shared by the replay store and the rate limiter: reconnects by itself, fails fast while down.
import type { Logger } from "pino";
import { exponentialDelayMs } from "../backoff.js";
import { createClient } from "redis";

/** The node-redis client type this package creates. */
export type RedisClient = ReturnType<typeof createClient>;

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` for TLS. */
  readonly url: string;
  /** Bound on every command of the stores using this connection. Defaults to 1000 ms. */
  readonly commandTimeoutMs?: number;
  /** Bound on opening a TCP connection. Defaults to 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnect attempts (exponential backoff from 50 ms). Defaults to 2000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Where connection losses and recoveries are logged; the URL is logged without its password. */
  readonly logger?: Logger;
}

/** A shared client plus what its users need around it. */
export interface RedisConnection {
  /** The node-redis client (offline queue disabled: commands fail at once while disconnected). */
  readonly client: RedisClient;
  /** The command timeout this connection was created with. */
  readonly commandTimeoutMs: number;
  /** The URL with its password masked, for logs and errors. */
  readonly redactedUrl: string;
  /** Resolves true once connected, or false after `timeoutMs` (the client keeps trying). */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  /** Closes the client: waits briefly for commands in flight, then drops the socket. */
  close(): Promise<void>;
}

/** Masks the password of a Redis URL (`redis://user:***@host:6379`). */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<invalid redis url>";
  }
}

/** Backoff of reconnect attempts: 50 ms doubling up to `maxMs`, with up to 20% jitter. */
export function reconnectDelay(retries: number, maxMs: number): number {
  return Math.round(exponentialDelayMs(retries, 50, maxMs) * (1 - Math.random() * 0.2));
}

/**
 * Creates the client and starts connecting in the background; it never throws for an unreachable
 * Redis (commands fail with `redis_offline` until it is back, then it recovers by itself).
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2000;
  const redactedUrl = redactRedisUrl(options.url);
  const logger = options.logger?.child({ redis: redactedUrl });
  const client: RedisClient = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 2000,
      reconnectStrategy: (retries) => reconnectDelay(retries, maxReconnectDelayMs),
    },
  });

  let down = false;
  client.on("error", (error: unknown) => {
    // Log an outage once, not every reconnect attempt; an error listener also keeps node-redis from throwing.
    if (!down) logger?.warn({ err: error }, "redis connection lost; replay store unavailable until it returns");
    else logger?.debug({ err: error }, "redis reconnect attempt failed");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger?.info("redis connection restored");
    down = false;
  });
  const connecting = client.connect().then(
    () => true,
    (error: unknown) => {
      logger?.error({ err: error }, "redis client stopped connecting");
      return false;
    },
  );

  return {
    client,
    commandTimeoutMs,
    redactedUrl,
    async waitUntilReady(timeoutMs) {
      if (client.isReady) return true;
      let timer: NodeJS.Timeout | undefined;
      let onReady: (() => void) | undefined;
      const result = await new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        onReady = () => resolve(true);
        client.once("ready", onReady);
        void connecting.then((connected) => connected || resolve(false));
      });
      clearTimeout(timer);
      if (onReady) client.off("ready", onReady);
      return result && client.isReady;
    },
    async close() {
      if (!client.isOpen) return;
      let timer: NodeJS.Timeout | undefined;
      const graceful = client.close().then(() => true);
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), commandTimeoutMs);
      });
      const closed = await Promise.race([graceful, late]).catch(() => false);
      clearTimeout(timer);
      // A reconnect loop asleep between attempts ends by itself once the client is closed.
      if (!closed && client.isOpen) client.destroy();
    },
  };
}
