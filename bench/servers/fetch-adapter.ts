// Our fetch adapter: createFetchHandler over the full pipeline behind a minimal node:http -> Request bridge.
import { createServer, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { createFullPipelineReceiver, library } from "../lib/full-pipeline-receiver.js";

const path = process.env.BENCH_PATH ?? "/webhooks/bench";
const handler = library.createFetchHandler(await createFullPipelineReceiver());

/** What Bun.serve / Deno.serve hand a fetch handler: the request as a `Request`, the body streamed. */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(`http://127.0.0.1${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    body: Readable.toWeb(req),
    duplex: "half",
  });
}

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  if (req.method !== "POST" || req.url !== path) return void res.writeHead(404).end();
  void handler(toRequest(req), { clientAddress: req.socket.remoteAddress }).then(async (response) => {
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
