// Each adapter served on 127.0.0.1:0 with the same receivers mounted at the same paths, for one behaviour suite.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import express from "express";
import { Hono } from "hono";
import { createFetchHandler } from "../../src/http/fetch-handler.js";
import { createNodeMiddleware } from "../../src/http/node-middleware.js";
import { createExpressHandler } from "../../src/http/express-handler.js";
import type { WebhookReceiver } from "../../src/receiver/create-receiver.js";

/** The receivers under test, by the path each is served on. */
export type Mounts = Readonly<Record<string, WebhookReceiver>>;

/** A running adapter: its base URL and how to stop it. */
export interface AdapterServer {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<AdapterServer> {
  server.listen(0, "127.0.0.1");
  return running(server);
}

/** A server that is listening (or about to) on 127.0.0.1, as an {@link AdapterServer}. */
async function running(server: Server): Promise<AdapterServer> {
  if (!server.listening) await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Express 5: the handler on each path (`app.all`), JSON 404 elsewhere. */
function startExpress(mounts: Mounts): Promise<AdapterServer> {
  const app = express();
  for (const [path, receiver] of Object.entries(mounts)) app.all(path, createExpressHandler(receiver));
  app.use((_req, res) => void res.status(404).json({ error: "not_found" }));
  return listen(createServer(app));
}

/** Bare node:http: the middlewares chained through `next()`, the last one answering 404 itself. */
function startNode(mounts: Mounts): Promise<AdapterServer> {
  const chain = Object.entries(mounts).map(([path, receiver]) => createNodeMiddleware(receiver, { path }));
  return listen(
    createServer((req, res) => {
      const run = (index: number): void => {
        const middleware = chain[index];
        if (middleware === undefined) return;
        middleware(req, res, index === chain.length - 1 ? undefined : () => run(index + 1));
      };
      run(0);
    }),
  );
}

/** Hono on @hono/node-server: the fetch handler per path, the client address from getConnInfo. */
function startHono(mounts: Mounts): Promise<AdapterServer> {
  const app = new Hono();
  for (const [path, receiver] of Object.entries(mounts)) {
    const handler = createFetchHandler(receiver);
    app.all(path, (c) => handler(c.req.raw, { clientAddress: getConnInfo(c).remote.address }));
  }
  return running(serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server);
}

/** The fetch handler behind a plain node:http bridge (what Bun.serve / Deno.serve do natively). */
function startFetchBridge(mounts: Mounts): Promise<AdapterServer> {
  const addresses = new WeakMap<Request, string | undefined>();
  const handlers = new Map(
    Object.entries(mounts).map(([path, receiver]) => [path, createFetchHandler(receiver, { clientAddress: (request) => addresses.get(request) })]),
  );
  const toRequest = (req: IncomingMessage): Request => {
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    return new Request(`http://127.0.0.1${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
    });
  };
  return listen(
    createServer((req, res) => {
      const handler = handlers.get((req.url ?? "/").split("?")[0] ?? "/");
      if (handler === undefined) return void res.writeHead(404).end();
      const request = toRequest(req);
      addresses.set(request, req.socket.remoteAddress);
      void handler(request).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    }),
  );
}

/** Every adapter, by name. */
export const ADAPTERS = {
  express: startExpress,
  "node:http": startNode,
  "fetch on Hono": startHono,
  "fetch on a node:http bridge": startFetchBridge,
} as const satisfies Record<string, (mounts: Mounts) => Promise<AdapterServer>>;
