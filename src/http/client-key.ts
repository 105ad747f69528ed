// The client address of a request and its rate-limit key, computed once per connection (or per request behind a proxy).
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

const CLIENT_ADDRESS = Symbol("clientAddress");

/**
 * The client address in Express: with `trust proxy`, `req.ip`, the forwarded address its rules
 * vouch for (read once per request: it walks the X-Forwarded-For chain each time); otherwise the
 * socket's peer, whatever X-Forwarded-For says.
 */
export function clientAddress(req: Request): string | undefined {
  if (!req.app.enabled("trust proxy")) return req.socket.remoteAddress;
  const known = req as Request & { [CLIENT_ADDRESS]?: string | undefined };
  if (!(CLIENT_ADDRESS in known)) known[CLIENT_ADDRESS] = req.ip;
  return known[CLIENT_ADDRESS];
}

/** The client key in Express: the key of {@link clientAddress} (the socket's, once per connection, without `trust proxy`). */
export function clientKey(req: Request): string {
  if (req.app.enabled("trust proxy")) {
    const keyed = req as Keyed<Request>;
    return (keyed[CLIENT_KEY] ??= keyForAddress(clientAddress(req)));
  }
  return socketClientKey(req);
}
