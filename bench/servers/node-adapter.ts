// Our node:http adapter: createNodeMiddleware over the full pipeline on bare node:http (the peer of octokit's).
import { createServer } from "node:http";
import { createFullPipelineReceiver, library } from "../lib/full-pipeline-receiver.js";

const middleware = library.createNodeMiddleware(await createFullPipelineReceiver(), { path: process.env.BENCH_PATH ?? "/webhooks/bench" });

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  middleware(req, res, () => res.writeHead(404).end());
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
