// The minimal honest receiver's Express app: the raw body, HMAC-SHA256 + timingSafeEqual, freshness, JSON.parse, 200.
import { createSecretKey } from "node:crypto";
import express, { type Express } from "express";
import { minimalVerified } from "./minimal-verify.js";

/** Verifies, checks freshness and parses like we do, with nothing else (no limits, claims, logs or metrics). */
export function createMinimalApp(secret: string, path: string): Express {
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  const app = express();
  app.get("/healthz", (_req, res) => {
    res.status(200).json({ ok: true });
  });
  app.post(path, express.raw({ type: () => true, limit: "1mb" }), (req, res) => {
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
  return app;
}
