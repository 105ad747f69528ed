// The minimal honest receiver: Express 5, the raw body, HMAC-SHA256 + timingSafeEqual, freshness, JSON.parse, 200.
import { createMinimalApp } from "../lib/minimal-app.js";

createMinimalApp(process.env.BENCH_SECRET ?? "", process.env.BENCH_PATH ?? "/webhooks/bench").listen(
  Number(process.env.PORT ?? 8080),
  process.env.HOST ?? "127.0.0.1",
);
