// Scenario 5b: @octokit/webhooks' createNodeMiddleware on node:http (GitHub-style signatures).
import { randomBytes } from "node:crypto";
import { githubSigner } from "../lib/signers.js";
import { startBenchServer } from "../lib/start-bench-server.js";
import type { Scenario } from "./scenario.js";

/** Peer: what a user gets with @octokit/webhooks on node:http (no Express). */
export const peerOctokit: Scenario = {
  id: "peer-octokit",
  title: "peer: @octokit/webhooks node middleware",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startBenchServer(context.workDir, "peer-octokit", secret, githubSigner(secret)) };
  },
};
