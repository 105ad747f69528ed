// Every load scenario, in table order (the baseline first: ratios divide by it).
import { expressBaseline } from "./express-baseline.js";
import { peerOctokit } from "./peer-octokit.js";
import { peerStandardWebhooks } from "./peer-standardwebhooks.js";
import type { Scenario } from "./scenario.js";
import { service } from "./service.js";
import { serviceRedis } from "./service-redis.js";
import { serviceRemoteKeys } from "./service-remote-keys.js";

/** The scenarios 1 to 5. */
export const SCENARIOS: readonly Scenario[] = [expressBaseline, service, serviceRemoteKeys, serviceRedis, peerStandardWebhooks, peerOctokit];

/** The scenario the ratios are relative to. */
export const BASELINE_ID = expressBaseline.id;
