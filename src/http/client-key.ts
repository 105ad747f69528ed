// The rate-limit key of a request: its client IP, computed once per connection (or per request behind a proxy).
import type { Socket } from "node:net";
import type { Request } from "express";
import { ipKeyGenerator } from "express-rate-limit";

const CLIENT_KEY = Symbol("clientKey");

type Keyed<T> = T & { [CLIENT_KEY]?: string };

/**
 * The client key: the IP (with `trust proxy`, the forwarded one), IPv6 grouped by /56.
 * Without `trust proxy` it is the socket's address, so it is computed once per connection
 * (keep-alive senders reuse theirs); behind a proxy, once per request (`req.ip` walks the
 * X-Forwarded-For chain each time it is read).
 */
export function clientKey(req: Request): string {
  if (req.app.enabled("trust proxy")) {
    const keyed = req as Keyed<Request>;
    return (keyed[CLIENT_KEY] ??= ipKeyGenerator(req.ip ?? "unknown"));
  }
  const socket = req.socket as Keyed<Socket>;
  return (socket[CLIENT_KEY] ??= ipKeyGenerator(socket.remoteAddress ?? "unknown"));
}
