// Scenario 3: our service with remote keys from the local provider (token + key endpoint), cache warm.
import { chatgptSigner } from "../lib/signers.js";
import { startServiceTarget } from "../lib/start-service-target.js";
import type { Scenario } from "./scenario.js";

/** Keys come through the client-credentials flow; /readyz answers 200 only once they are cached. */
export const serviceRemoteKeys: Scenario = {
  id: "service-remote",
  title: "our service (remote keys, warm)",
  start: async (context) => {
    const provider = await context.remoteProvider();
    const target = await startServiceTarget(context.workDir, "service-remote", provider.serviceEnv, chatgptSigner(provider.signingSecret));
    return { target };
  },
};
