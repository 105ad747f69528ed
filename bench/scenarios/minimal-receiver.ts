// The second baseline: the minimal honest Express receiver, the work no receiver can skip (issue 12's reference).
import { randomBytes } from "node:crypto";
import { chatgptSigner } from "../lib/signers.js";
import { startBenchServer } from "../lib/start-bench-server.js";
import type { Scenario } from "./scenario.js";

/** Verifies, checks freshness and parses like we do, with nothing else (no limits, claims, logs or metrics). */
export const minimalReceiver: Scenario = {
  id: "minimal-receiver",
  title: "minimal honest receiver (Express 5 + raw + HMAC)",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startBenchServer(context.workDir, "minimal-receiver", secret, chatgptSigner(secret), '"processed"') };
  },
};
