// The minimal honest receiver: Express 5, the raw body, HMAC-SHA256 + timingSafeEqual, freshness, JSON.parse, 200.
import { createSecretKey } from "node:crypto";
import express from "express";
import { minimalVerified } from "../lib/minimal-verify.js";

const key = createSecretKey(Buffer.from(process.env.BENCH_SECRET ?? "", "utf8"));

const app = express();
app.get("/healthz", (_req, res) => {
  res.status(200).json({ ok: true });
});
app.post(process.env.BENCH_PATH ?? "/webhooks/bench", express.raw({ type: () => true, limit: "1mb" }), (req, res) => {
  const body = req.body as Buffer;
  if (!minimalVerified(key, body, req.headers["x-chatgpt-timestamp"], req.headers["x-chatgpt-signature"])) {
    res.status(401).json({ error: "invalid_signature" });
    return;
  }
  let event: { id?: unknown };
  try {
    event = JSON.parse(body.toString("utf8")) as { id?: unknown };
  } catch {
    res.status(400).json({ error: "invalid_payload" });
    return;
  }
  res.status(200).json({ status: "processed", id: event.id });
});
app.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
