// The Redis client as BullMQ's workers see it: node-redis' "connection lost" errors reported as BullMQ's own ConnectionClosedError.
import { ConnectionClosedError } from "bullmq";
import { ClientClosedError, ClientOfflineError, ConnectionTimeoutError, SocketClosedUnexpectedlyError } from "redis";
import { isThenable } from "../maybe-promise.js";
import type { RedisClient } from "../redis/redis-connection.js";

/** Socket error codes of a connection that is gone or cannot be made. */
const SOCKET_LOSS_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "ENOTCONN", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** Errors that mean "Redis is not reachable right now", not "this command is wrong". */
export function isConnectionLoss(error: unknown): boolean {
  return (
    error instanceof ClientOfflineError ||
    error instanceof ClientClosedError ||
    error instanceof SocketClosedUnexpectedlyError ||
    error instanceof ConnectionTimeoutError ||
    SOCKET_LOSS_CODES.has(String((error as { code?: unknown } | null)?.code)) ||
    // A Redis restarting with persistence answers LOADING until its data is read back.
    (error instanceof Error && error.message.startsWith("LOADING "))
  );
}

type Listener = (...args: unknown[]) => void;
const ADD_LISTENER = new Set<string | symbol>(["on", "once", "addListener", "prependListener", "prependOnceListener"]);
const REMOVE_LISTENER = new Set<string | symbol>(["off", "removeListener"]);
const GUARDS = new WeakMap<Listener, Listener>();

/**
 * BullMQ's client wrapper re-emits the client's "error" events on itself, and after BullMQ has
 * closed its side nobody listens there any more: the re-emit then throws out of the socket's
 * handler, an uncaught exception (seen as `read ECONNRESET` when Redis died). Guarded listeners
 * keep such a throw inside; the errors still reach the workers through their failed commands.
 */
function guarded(listener: Listener): Listener {
  let guard = GUARDS.get(listener);
  if (guard === undefined) {
    guard = (...args: unknown[]) => {
      try {
        listener(...args);
      } catch {
        // nobody listens on BullMQ's side any more
      }
    };
    GUARDS.set(listener, guard);
  }
  return guard;
}

function asConnectionClosed(error: unknown): never {
  if (isConnectionLoss(error)) throw new ConnectionClosedError((error as Error).message, error);
  throw error;
}

/**
 * Wraps `client` (and its duplicates) so that a command failing because Redis is away rejects
 * with BullMQ's `ConnectionClosedError`. BullMQ waits and retries only on connection errors it
 * recognizes (ioredis' own); on node-redis' fail-fast errors it retried a fetch at once, a busy
 * loop for the whole outage, and failed a job whose handlers had finished when its completion
 * could not be written, so the event ran again (docs/ARCHITECTURE.md, "Queue mode").
 */
export function bullmqConnection(client: RedisClient): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property === "duplicate") return (...args: unknown[]) => bullmqConnection(method.apply(target, args) as RedisClient);
      if (ADD_LISTENER.has(property)) {
        return (event: unknown, listener: Listener) => (method.call(target, event, event === "error" ? guarded(listener) : listener), target);
      }
      if (REMOVE_LISTENER.has(property)) {
        return (event: unknown, listener: Listener) => (method.call(target, event, event === "error" ? (GUARDS.get(listener) ?? listener) : listener), target);
      }
      return (...args: unknown[]) => {
        const result = method.apply(target, args);
        return isThenable(result) ? Promise.resolve(result).catch(asConnectionClosed) : result;
      };
    },
  });
}
