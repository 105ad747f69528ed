// deploy/prometheus/alerts.yml: valid for promtool, every alert unit-tested firing and quiet (alerts.test.yml),
// and every metric a rule uses one that a live service in queue mode really exposes on /metrics.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cleanUpPrefixes, newPrefix, startQueueService } from "../queue/queue-test-support.js";
import { freePort } from "../support/service-process.js";
import type { TestService } from "../support/service.js";
import { ALERT_TESTS_FILE, ALERTS_FILE, alertRules, exposedNames, metricNamesIn } from "./rule-metrics.js";

/** Runs promtool; a missing binary fails the test with what to install (never a silent skip). */
function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync("promtool", args, { encoding: "utf8" });
  if (run.error !== undefined) {
    throw new Error(`promtool could not run (${run.error.message}): install it (Debian: apt-get install prometheus; .ci/run does)`);
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("the Prometheus alert rules", () => {
  it("pass promtool check rules", () => {
    const checked = promtool("check", "rules", ALERTS_FILE);
    expect(checked.output).toContain("SUCCESS");
    expect(checked.status, checked.output).toBe(0);
  });

  it("pass their promtool unit tests (alerts.test.yml)", () => {
    const tested = promtool("test", "rules", ALERT_TESTS_FILE);
    expect(tested.status, tested.output).toBe(0);
    expect(tested.output).toContain("SUCCESS");
  });

  it("have a unit test for every alert, expecting it both firing and quiet", () => {
    interface Case {
      readonly alert_rule_test?: ReadonlyArray<{ readonly alertname: string; readonly exp_alerts?: readonly unknown[] }>;
    }
    const cases = (parse(readFileSync(ALERT_TESTS_FILE, "utf8")) as { tests: readonly Case[] }).tests.flatMap((test) => test.alert_rule_test ?? []);
    const names = alertRules().map((rule) => rule.alert);
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const own = cases.filter((test) => test.alertname === name);
      expect(own.some((test) => (test.exp_alerts ?? []).length > 0), `${name} firing`).toBe(true);
      expect(own.some((test) => (test.exp_alerts ?? []).length === 0), `${name} quiet`).toBe(true);
    }
  });
});

describe("metricNamesIn", () => {
  it("finds selected metrics, not functions, keywords, labels, strings or durations", () => {
    const expr =
      'histogram_quantile(0.95, sum by (le) (rate(webhook_job_queue_seconds_bucket{state="x"}[10m]))) > 60 ' +
      'and on (instance) max without (job) (up offset 5m) or vector(1) unless sum(rate(a_total{outcome=~"b|c"}[5m])) / 2';
    expect([...metricNamesIn(expr)].sort()).toEqual(["a_total", "up", "webhook_job_queue_seconds_bucket"]);
  });
});

describe("exposedNames", () => {
  it("expands histograms and summaries to their series, and keeps a counter's own name", () => {
    const scrape = ["# TYPE h_seconds histogram", "# TYPE s summary", "# TYPE c_total counter", "# TYPE g gauge", "c_total 1"].join("\n");
    expect([...exposedNames(scrape)].sort()).toEqual(["c_total", "g", "h_seconds_bucket", "h_seconds_count", "h_seconds_sum", "s", "s_count", "s_sum"]);
  });
});

describe("the metrics the rules use", () => {
  let service: TestService | undefined;
  const cleanUp: Array<() => void> = [];
  afterAll(async () => {
    await service?.shutdown();
    await cleanUpPrefixes();
    for (const step of cleanUp) step();
  });

  it("are all exposed on /metrics by a service in queue mode with remote keys, a secret file and forwarding", async () => {
    // Remote keys (their token and key metrics) from an endpoint that is down, the client secret
    // from a file, a forward target that is down: only the names matter here.
    const closed = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "cwr-alerts-"));
    cleanUp.push(() => rmSync(dir, { recursive: true, force: true }));
    const secretFile = join(dir, "client-secret");
    writeFileSync(secretFile, "alerts-test-client-secret\n");
    service = await startQueueService(newPrefix(), {
      WEBHOOK_SECRET: "",
      WEBHOOK_KEY_URL: `http://127.0.0.1:${closed}/v1/webhook-keys`,
      TOKEN_ENDPOINT: `http://127.0.0.1:${closed}/token`,
      CLIENT_ID: "alerts-test-client",
      CLIENT_SECRET_FILE: secretFile,
      FORWARD_URL: `http://127.0.0.1:${closed}/events`,
      FORWARD_TOKEN_SCOPES: "events:write",
    });
    const scrape = await (await fetch(`${service.url}/metrics`)).text();
    const exposed = exposedNames(scrape);
    const used = new Set(alertRules().flatMap((rule) => [...metricNamesIn(rule.expr)]));
    for (const name of [
      "webhook_deliveries_total",
      "webhook_token_requests_total",
      "webhook_key_fetches_total",
      "webhook_queue_jobs",
      "webhook_job_queue_seconds_bucket",
      "webhook_secret_reload_failures_total",
      "webhook_queue_worker_errors_total",
      "webhook_forwards_total",
    ]) {
      expect(used, `the rules use ${name}`).toContain(name);
    }
    const missing = [...used].filter((name) => !exposed.has(name));
    expect(missing, `not on /metrics; exposed: ${[...exposed].sort().join(", ")}`).toEqual([]);
  });
});
