// Issue 12's targets: our receivers against the minimal honest receiver, our node:http adapter against octokit's.
import type { Comparison } from "../lib/comparison-report.js";

const ONE_KB = 1024;

/** What each of our scenarios is measured against (ratios from the same run and size). */
export const COMPARISONS: readonly Comparison[] = [
  { scenario: "service", reference: "minimal-receiver", target: { minimum: 0.95, on: "both" } },
  { scenario: "service", reference: "minimal-express-server" },
  { scenario: "service-remote", reference: "minimal-receiver" },
  { scenario: "service-redis", reference: "minimal-receiver", target: { minimum: 0.85, on: "both" } },
  { scenario: "service-redis", reference: "minimal-express-server" },
  { scenario: "service-queue", reference: "minimal-receiver", target: { minimum: 0.7, on: "cpu", sizes: [ONE_KB] } },
  { scenario: "node-adapter", reference: "peer-octokit", target: { minimum: 0.85, on: "cpu", sizes: [ONE_KB] } },
  { scenario: "node-adapter", reference: "minimal-receiver" },
  { scenario: "fetch-adapter", reference: "peer-octokit" },
  { scenario: "fetch-adapter", reference: "node-adapter" },
];
