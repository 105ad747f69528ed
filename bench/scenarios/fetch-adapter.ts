// Our fetch adapter with the full pipeline (createFetchHandler behind a minimal node:http -> Request bridge).
import { randomBytes } from "node:crypto";
import { chatgptSigner } from "../lib/signers.js";
import { startBenchServer } from "../lib/start-bench-server.js";
import type { Scenario } from "./scenario.js";

/** The built library's fetch handler, configured like the service scenario; the bridge is part of what is measured. */
export const fetchAdapter: Scenario = {
  id: "fetch-adapter",
  title: "ours: createFetchHandler via a node:http bridge",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startBenchServer(context.workDir, "fetch-adapter", secret, chatgptSigner(secret), '"processed"') };
  },
};
