// Scenario 2: our service as `npm start` runs it (static secret, memory replay store, no-op handler).
import { randomBytes } from "node:crypto";
import { chatgptSigner } from "../lib/signers.js";
import { startServiceTarget } from "../lib/start-service-target.js";
import type { Scenario } from "./scenario.js";

/** Our full service with `WEBHOOK_SECRET`. */
export const service: Scenario = {
  id: "service",
  title: "our service (static secret, memory store)",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startServiceTarget(context.workDir, "service", { WEBHOOK_SECRET: secret }, chatgptSigner(secret)) };
  },
};
