// The minimal honest receiver: Express 5, the raw body, HMAC-SHA256 + timingSafeEqual, freshness, JSON.parse, 200.
import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";
import express from "express";

const TOLERANCE_SECONDS = 300;
const SIGNATURE_PREFIX = "v1=";
const key = createSecretKey(Buffer.from(process.env.BENCH_SECRET ?? "", "utf8"));

/** Whether `t` and `signature` sign `body`: fresh, and the HMAC of `${t}.${body}` (the chatgpt scheme). */
function verified(body: Buffer, t: unknown, signature: unknown): boolean {
  if (typeof t !== "string" || typeof signature !== "string" || !signature.startsWith(SIGNATURE_PREFIX)) return false;
  const seconds = Number(t);
  if (!Number.isSafeInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", key).update(`${t}.`).update(body).digest();
  const given = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const app = express();
app.get("/healthz", (_req, res) => {
  res.status(200).json({ ok: true });
});
app.post(process.env.BENCH_PATH ?? "/webhooks/bench", express.raw({ type: () => true, limit: "1mb" }), (req, res) => {
  const body = req.body as Buffer;
  if (!verified(body, req.headers["x-chatgpt-timestamp"], req.headers["x-chatgpt-signature"])) {
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
