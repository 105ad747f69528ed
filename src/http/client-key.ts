// The rate-limit key of a request: its client IP, computed once per connection (or per request behind a proxy).
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Request } from "express";
import { ipKeyGenerator } from "express-rate-limit";

const CLIENT_KEY = Symbol("clientKey");

type Keyed<T> = T & { [CLIENT_KEY]?: string };

/** The key of a client address: the IP, IPv6 grouped by /56 (one household or server). */
export function keyForAddress(address: string | undefined): string {
  return ipKeyGenerator(address ?? "unknown");
}

/**
 * The key of a request's peer: its socket's address, computed once per connection (keep-alive
 * senders reuse theirs). Used by the `node:http` adapter, and by Express without `trust proxy`.
 */
export function socketClientKey(req: IncomingMessage): string {
  const socket = req.socket as Keyed<Socket>;
  return (socket[CLIENT_KEY] ??= keyForAddress(socket.remoteAddress));
}

/**
 * The client key in Express: with `trust proxy`, the forwarded IP (once per request: `req.ip`
 * walks the X-Forwarded-For chain each time it is read); otherwise the socket's.
 */
export function clientKey(req: Request): string {
  if (req.app.enabled("trust proxy")) {
    const keyed = req as Keyed<Request>;
    return (keyed[CLIENT_KEY] ??= keyForAddress(req.ip));
  }
  return socketClientKey(req);
}
