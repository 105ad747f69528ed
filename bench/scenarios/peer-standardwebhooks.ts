// Scenario 5a: the `standardwebhooks` package verifying in an Express 5 route (Standard Webhooks headers).
import { randomBytes } from "node:crypto";
import { standardSigner } from "../lib/signers.js";
import { startBenchServer } from "../lib/start-bench-server.js";
import type { Scenario } from "./scenario.js";

/** Peer: what a user gets with `standardwebhooks` + Express. */
export const peerStandardWebhooks: Scenario = {
  id: "peer-standardwebhooks",
  title: "peer: Express 5 + standardwebhooks verify",
  start: async (context) => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    return { target: await startBenchServer(context.workDir, "peer-standardwebhooks", secret, standardSigner(secret)) };
  },
};
