// `chatgpt-webhooks events` as a subprocess on the real Redis, against a queue-mode service: dead letters listed, shown, retried.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { HandlerContext } from "../../src/index.js";
import { eventually, LOCAL_REDIS_URL } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET, type TestService } from "../support/service.js";
import { cleanUpPrefixes, counted, jobsCounted, newPrefix, startQueueService } from "./queue-test-support.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Runs the CLI with the queue's location in its environment (and nothing else it would need for serve). */
function events(args: string[], prefix: string) {
  const env = { ...process.env, REPLAY_STORE: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: prefix, WEBHOOK_SECRET: "", DISPATCH: "" };
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "events", ...args], { cwd: ROOT, env, timeout: 60_000 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const idOf = (body: Buffer): string => (JSON.parse(body.toString("utf8")) as { id: string }).id;

let service: TestService | undefined;
afterAll(async () => {
  await service?.shutdown();
  await cleanUpPrefixes();
});

describe("chatgpt-webhooks events", { timeout: 120_000 }, () => {
  it("lists dead letters with their last error, shows payload and every error, retries by id and --all-failed with fresh attempts", async () => {
    const prefix = newPrefix();
    const runs = counted();
    const contexts: HandlerContext[] = [];
    let fixed = false;
    service = await startQueueService(prefix, { JOB_ATTEMPTS: "2" }, {
      register: (receiver) =>
        receiver.on("*", (_event, context) => {
          contexts.push(context);
          runs.add();
          if (!fixed) throw new Error(`downstream refused ${context.id} (attempt ${context.attempt})`);
        }),
    });
    const running = service;
    const a = uniqueEvent("response.failed", { note: "first" });
    const b = uniqueEvent("batch.completed");
    for (const body of [a, b]) expect((await running.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(202);
    await runs.reach(4);
    expect(await eventually(async () => (await jobsCounted(running, "dead_lettered")) === 2, 10_000)).toBe(true);

    const listed = await events(["failed", "--json"], prefix);
    expect(listed).toMatchObject({ code: 0, stderr: "" });
    const failed = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(failed.map((row) => row.id).sort()).toEqual([idOf(a), idOf(b)].sort());
    const rowA = failed.find((row) => row.id === idOf(a));
    expect(rowA).toMatchObject({ type: "response.failed", attempts: 2 });
    expect(rowA?.lastError).toContain(`downstream refused ${idOf(a)} (attempt 2)`);
    expect(Number.isNaN(Date.parse(String(rowA?.failedAt)))).toBe(false);

    const [shown, table, stats] = await Promise.all([events(["show", idOf(a), "--json"], prefix), events(["failed"], prefix), events(["stats", "--json"], prefix)]);
    expect(shown.code).toBe(0);
    const details = JSON.parse(shown.stdout) as { payload: unknown; errors: string[]; state: string };
    expect(details.state).toBe("failed");
    expect(details.payload).toEqual(JSON.parse(a.toString("utf8")));
    expect(details.errors).toHaveLength(2);
    details.errors.forEach((error, index) => expect(error).toContain(`downstream refused ${idOf(a)} (attempt ${index + 1})`));
    expect(table.stdout).toContain(idOf(b));
    expect(JSON.parse(stats.stdout)).toMatchObject({ failed: 2, waiting: 0, active: 0 });

    // The handler is fixed: a retried event runs once more, from attempt 1, and leaves the dead letters.
    fixed = true;
    const retried = await events(["retry", idOf(a)], prefix);
    expect(retried).toMatchObject({ code: 0, stderr: "" });
    await runs.reach(5);
    expect(contexts[4]).toMatchObject({ id: idOf(a), attempt: 1 });
    expect(await eventually(async () => (await jobsCounted(running, "processed")) === 1, 10_000)).toBe(true);
    const afterOne = JSON.parse((await events(["failed", "--json"], prefix)).stdout) as Array<{ id: string }>;
    expect(afterOne.map((row) => row.id)).toEqual([idOf(b)]);

    const all = await events(["retry", "--all-failed"], prefix);
    expect(all.code).toBe(0);
    await runs.reach(6);
    expect(contexts[5]).toMatchObject({ id: idOf(b), attempt: 1 });
    expect(await eventually(async () => (await jobsCounted(running, "processed")) === 2, 10_000)).toBe(true);
    const [empty, gone] = await Promise.all([events(["failed", "--json"], prefix), events(["show", idOf(a)], prefix)]);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect(gone.code).toBe(1); // handled: its payload left Redis
    expect(runs.value).toBe(6);
  });

  it("refuses unknown subcommands, unknown flags and missing ids with exit 2; an unknown id is exit 1", async () => {
    const prefix = newPrefix();
    const results = await Promise.all([
      events(["bogus"], prefix),
      events(["failed", "--bogus"], prefix),
      events(["retry"], prefix),
      events(["retry", "--all-failed", "x"], prefix),
      events([], prefix),
      events(["retry", "evt_nothing_here"], prefix),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 2, 1]);
    expect(results[1]?.stderr).toContain("--bogus");
  });
});
