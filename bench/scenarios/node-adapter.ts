// Our node:http adapter with the full pipeline (createNodeMiddleware on bare node:http), the peer of octokit's middleware.
import { randomBytes } from "node:crypto";
import { chatgptSigner } from "../lib/signers.js";
import { startBenchServer } from "../lib/start-bench-server.js";
import type { Scenario } from "./scenario.js";

/** The built library as a user wires it on node:http, configured like the service scenario. */
export const nodeAdapter: Scenario = {
  id: "node-adapter",
  title: "ours: createNodeMiddleware on node:http",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startBenchServer(context.workDir, "node-adapter", secret, chatgptSigner(secret), '"processed"') };
  },
};
