// The minimal honest receiver's app served by our createExpressServer instead of app.listen (no prototype switch per request).
import { createMinimalApp } from "../lib/minimal-app.js";
import { library } from "../lib/full-pipeline-receiver.js";

library
  .createExpressServer(createMinimalApp(process.env.BENCH_SECRET ?? "", process.env.BENCH_PATH ?? "/webhooks/bench"))
  .listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? "127.0.0.1");
