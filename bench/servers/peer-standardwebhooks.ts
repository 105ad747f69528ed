// Scenario 5a: an Express 5 route verifying Standard Webhooks signatures with the `standardwebhooks` package.
import express from "express";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.BENCH_SECRET ?? "");
const app = express();
app.get("/healthz", (_req, res) => {
  res.status(200).json({ ok: true });
});
app.post(process.env.BENCH_PATH ?? "/webhooks/bench", express.raw({ type: "application/json", limit: "1mb" }), (req, res) => {
  try {
    // Verifies over the raw bytes and returns the parsed event (jsonParse defaults to true).
    webhook.verify(req.body as Buffer, req.headers as Record<string, string>);
  } catch {
    res.status(401).json({ error: "invalid_signature" });
    return;
  }
  res.status(200).json({ received: true });
});
app.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
