// The minimal honest receiver served by createExpressServer, as our service is: the same work without Express's prototype switch.
import { randomBytes } from "node:crypto";
import { chatgptSigner } from "../lib/signers.js";
import { startBenchServer } from "../lib/start-bench-server.js";
import type { Scenario } from "./scenario.js";

/**
 * The minimal receiver's app on `createExpressServer` instead of `app.listen`. Issue 12's targets
 * are against the plain one; this one shows what our pipeline adds when both skip the switch.
 */
export const minimalExpressServer: Scenario = {
  id: "minimal-express-server",
  title: "minimal honest receiver on createExpressServer",
  start: async (context) => {
    const secret = randomBytes(32).toString("hex");
    return { target: await startBenchServer(context.workDir, "minimal-express-server", secret, chatgptSigner(secret), '"processed"') };
  },
};
