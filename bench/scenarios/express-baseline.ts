// Scenario 1: bare Express 5 + express.json() answering 200: the baseline every ratio divides by.
import { randomBytes } from "node:crypto";
import { startBenchServer } from "../lib/start-bench-server.js";
import { chatgptSigner } from "../lib/signers.js";
import type { Scenario } from "./scenario.js";

/** The baseline (requests are signed like ours, the route ignores the signature). */
export const expressBaseline: Scenario = {
  id: "baseline",
  title: "bare Express 5 + express.json()",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startBenchServer(context.workDir, "express-baseline", secret, chatgptSigner(secret)) };
  },
};
