// A receiver killed at each step of the enqueue path: the sender's retry gets through, and the event runs exactly once.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { TEST_SECRET } from "../support/service.js";
import { startServiceProcess, type ServiceProcess } from "../support/service-process.js";
import { LOCAL_REDIS_URL } from "../replay/redis-test-support.js";
import { cleanUpPrefixes, newPrefix } from "./queue-test-support.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), "cwr-receiver-killed-"));
const HANDLERS = fileURLToPath(new URL("../support/handlers/recorded-runs.js", import.meta.url));
const running: ServiceProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((service) => service.stop("SIGKILL")));
  rmSync(DIR, { recursive: true, force: true });
  await cleanUpPrefixes();
});

/** Retries `attempt` every 200 ms (a sender's retries, compressed) until it is true, or fails at the deadline. */
async function retryUntil(attempt: () => Promise<boolean>, what: string, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await attempt())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.concurrent("a queue-mode receiver killed mid-delivery", () => {
  it.each(["claimed", "queued", "done"])("after the %s step: nothing lost, nothing doubled once the sender retries", { timeout: 120_000 }, async (step) => {
    const prefix = newPrefix();
    const runsFile = join(DIR, `${step}.log`);
    const env = { WEBHOOK_SECRET: TEST_SECRET, REPLAY_STORE: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: prefix, DISPATCH: "queue", RUNS_FILE: runsFile };
    const doomed = await startServiceProcess({ ...env, WORKER_CONCURRENCY: "0", FAULT_AT: step }, ROOT, [`${ROOT}test/support/faulty-receiver-process.ts`]);
    running.push(doomed);
    const body = uniqueEvent();
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    const post = (url: string) => fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...chatgptHeaders(body, TEST_SECRET) } });
    await expect(post(doomed.webhookUrl)).rejects.toThrow(); // killed before it could answer
    expect(await doomed.stop()).not.toBe(0);

    const next = await startServiceProcess({ ...env, WORKER_CONCURRENCY: "1", HANDLERS });
    running.push(next);
    // A claim left by the dead receiver answers 409 until its lease ends (or the worker seals it).
    await retryUntil(async () => [200, 202].includes((await post(next.webhookUrl)).status), "a 2xx for the retry");
    const runs = (): string[] => (existsSync(runsFile) ? readFileSync(runsFile, "utf8").trim().split("\n") : []);
    await retryUntil(() => Promise.resolve(runs().some((line) => line.startsWith(`done ${id}`))), "the handler's run");
    expect((await post(next.webhookUrl)).status).toBe(200); // a late retry: duplicate
    expect(runs().filter((line) => line.startsWith(`start ${id}`))).toHaveLength(1);
    await next.stop();
  });
});
