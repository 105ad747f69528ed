// Scenario 1, the baseline: a bare Express 5 POST route with express.json() answering 200 (no verification).
import express from "express";

const app = express();
app.get("/healthz", (_req, res) => {
  res.status(200).json({ ok: true });
});
app.post(process.env.BENCH_PATH ?? "/webhooks/bench", express.json({ limit: "1mb" }), (_req, res) => {
  res.status(200).json({ received: true });
});
app.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
