// Every load scenario, in table order (the baselines first: ratios divide by them).
import { expressBaseline } from "./express-baseline.js";
import { fetchAdapter } from "./fetch-adapter.js";
import { minimalExpressServer } from "./minimal-express-server.js";
import { minimalReceiver } from "./minimal-receiver.js";
import { nodeAdapter } from "./node-adapter.js";
import { peerOctokit } from "./peer-octokit.js";
import { peerStandardWebhooks } from "./peer-standardwebhooks.js";
import type { Scenario } from "./scenario.js";
import { service } from "./service.js";
import { serviceQueue } from "./service-queue.js";
import { serviceRedis } from "./service-redis.js";
import { serviceRemoteKeys } from "./service-remote-keys.js";

/** Issue 6's scenarios 1 to 5, issue 12's reference receiver (plain, and on createExpressServer) and our node:http and fetch adapters. */
export const SCENARIOS: readonly Scenario[] = [
  expressBaseline,
  minimalReceiver,
  minimalExpressServer,
  service,
  serviceRemoteKeys,
  serviceRedis,
  serviceQueue,
  nodeAdapter,
  fetchAdapter,
  peerStandardWebhooks,
  peerOctokit,
];

/** The scenario the table's ratios are relative to. */
export const BASELINE_ID = expressBaseline.id;

/** Scenarios that always run, whatever BENCH_SCENARIOS says: the references of the ratios. */
export const ALWAYS_RUN: readonly string[] = [BASELINE_ID, minimalReceiver.id, minimalExpressServer.id];

/** Scenarios running our receiver: their logs carry one outcome line per delivery. */
export const OURS: readonly string[] = [service.id, serviceRemoteKeys.id, serviceRedis.id, serviceQueue.id, nodeAdapter.id, fetchAdapter.id];
