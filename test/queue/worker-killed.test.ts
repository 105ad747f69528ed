// A worker SIGKILLed mid-handler: its event runs again once on another worker after the lock expires, never twice at once.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { TEST_SECRET } from "../support/service.js";
import { LOCAL_REDIS_URL } from "../replay/redis-test-support.js";
import { cleanUpPrefixes, newPrefix, startQueueService } from "./queue-test-support.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), "cwr-worker-killed-"));
const RUNS_FILE = join(DIR, "runs.log");
const HANDLERS = fileURLToPath(new URL("../support/handlers/recorded-runs.js", import.meta.url));
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(DIR, { recursive: true, force: true });
  await cleanUpPrefixes();
});

const runs = (): string[] => (existsSync(RUNS_FILE) ? readFileSync(RUNS_FILE, "utf8").trim().split("\n") : []);

/** Polls the runs file every 50 ms until `check` holds, or fails at the deadline. */
async function until(check: () => boolean, what: string, deadlineMs = 45_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${deadlineMs} ms; runs: ${runs().join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function startWorker(prefix: string, hold: boolean): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "worker"], {
    cwd: ROOT,
    env: {
      ...process.env,
      WEBHOOK_SECRET: TEST_SECRET,
      REPLAY_STORE: LOCAL_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DISPATCH: "queue",
      WORKER_CONCURRENCY: "1",
      JOB_LOCK_MS: "1000",
      HANDLER_TIMEOUT_MS: "60000",
      HANDLERS,
      RUNS_FILE,
      HOLD_RUNS: hold ? "1" : "0",
      LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

describe("a queue worker killed mid-handler", () => {
  it("lets its event run again once, on another worker, after the lock expires, and never two at once", { timeout: 120_000 }, async () => {
    const prefix = newPrefix();
    const receiver = await startQueueService(prefix, { WORKER_CONCURRENCY: "0" });
    try {
      const body = uniqueEvent();
      const id = (JSON.parse(body.toString()) as { id: string }).id;
      expect((await receiver.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(202);

      const first = startWorker(prefix, true);
      await until(() => runs().some((line) => line.startsWith(`start ${id} `)), "the first run");
      const exited = once(first, "exit");
      first.kill("SIGKILL");
      await exited;

      const second = startWorker(prefix, false);
      await until(() => runs().some((line) => line.startsWith(`done ${id} `)), "the second run finishing");
      const lines = runs();
      expect(lines.filter((line) => line.startsWith(`start ${id} `))).toHaveLength(2);
      expect(lines.filter((line) => line.startsWith(`done ${id} `))).toHaveLength(1);
      // The second run began after the first worker was gone (it had no "done"), on the second worker.
      expect(lines[0]).toBe(`start ${id} ${first.pid}`);
      expect(lines.slice(1)).toEqual([`start ${id} ${second.pid}`, `done ${id} ${second.pid}`]);

      const stopped = once(second, "exit");
      second.kill("SIGTERM");
      expect((await stopped)[0]).toBe(0);
      // And a retry of the same delivery is a duplicate: the event stays handled once.
      const retry = await receiver.post(body, chatgptHeaders(body, TEST_SECRET));
      expect(await retry.json()).toMatchObject({ status: "duplicate" });
    } finally {
      await receiver.shutdown();
    }
  });
});
