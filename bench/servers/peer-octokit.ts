// Scenario 5b: @octokit/webhooks' node middleware on node:http, GitHub-style x-hub-signature-256, a no-op handler.
import { createServer } from "node:http";
import { createNodeMiddleware, Webhooks } from "@octokit/webhooks";

const webhooks = new Webhooks({ secret: process.env.BENCH_SECRET ?? "" });
webhooks.onAny(async () => {});
const middleware = createNodeMiddleware(webhooks, { path: process.env.BENCH_PATH ?? "/webhooks/bench" });

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  void middleware(req, res, () => res.writeHead(404).end());
}).listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
