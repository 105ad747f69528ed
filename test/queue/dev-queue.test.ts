// `dev --queue`: the local stack in queue mode on the local Redis; replay shows queued rows and the in-process workers run every event.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../support/fixtures.js";
import { LOCAL_REDIS_URL, deleteKeys } from "../replay/redis-test-support.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STATE = mkdtempSync(join(tmpdir(), "cwr-dev-queue-"));
const PREFIX = `cwr-test:${randomUUID()}:`;
/** Spawning tsx can take many seconds on a loaded two-core machine: generous deadlines. */
const SPAWN_DEADLINE_MS = 60_000;
let dev: ChildProcess;
let output = "";

interface Row {
  readonly id: string;
  readonly status: number;
  readonly outcome: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/main.ts", command, ...args], { cwd: ROOT, timeout: SPAWN_DEADLINE_MS, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

/** Waits (deadline 20 s) until every id in `ids` has a line from the dev handler (run by a worker). */
async function handled(ids: readonly string[]): Promise<boolean> {
  const done = (): boolean =>
    ids.every((id) => output.split("\n").some((line) => line.includes(`"event_id":"${id}"`) && line.includes("dev handler received an event")));
  const deadline = Date.now() + 20_000;
  while (!done() && Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([once(dev.stdout!, "data"), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
    clearTimeout(timer);
  }
  return done();
}

beforeAll(async () => {
  dev = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "dev", "--queue", "--port", "0", "--state-dir", STATE], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", LOG_FORMAT: "json", REPLAY_STORE: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: PREFIX },
  });
  dev.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(dev, "exit");
  while (!output.includes("curl -X POST")) {
    if ((await Promise.race([once(dev.stdout!, "data").then(() => "data"), exited.then(() => "exit")])) === "exit") throw new Error(`dev exited:\n${output}`);
  }
}, SPAWN_DEADLINE_MS);

afterAll(async () => {
  const closed = once(dev, "close");
  dev.kill("SIGTERM");
  const [code] = (await closed) as [number];
  rmSync(STATE, { recursive: true, force: true });
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
  expect(code).toBe(0);
}, SPAWN_DEADLINE_MS);

describe("dev --queue", { timeout: 3 * SPAWN_DEADLINE_MS }, () => {
  it("says it is in queue mode; replay gets 202 queued for every fixture (exit 0), then duplicates; the workers run each once", async () => {
    expect(output).toContain("queue mode: answers 202 queued");
    const first = await run("replay", ["fixtures/", "--json", "--state-dir", STATE]);
    expect(first.code).toBe(0);
    const rows = JSON.parse(first.stdout) as Row[];
    expect(rows).toHaveLength(loadFixtures().length);
    expect(new Set(rows.map((row) => `${row.status} ${row.outcome}`))).toEqual(new Set(["202 queued"]));
    expect(await handled(rows.map((row) => row.id))).toBe(true);
    const runsOf = (id: string): number => output.split("\n").filter((line) => line.includes(`"event_id":"${id}"`) && line.includes("dev handler received an event")).length;
    expect(rows.map((row) => runsOf(row.id))).toEqual(rows.map(() => 1));
    const again = await run("replay", ["fixtures/response.completed.json", "--json", "--state-dir", STATE]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject([{ status: 200, outcome: "duplicate" }]);
  });

  it("refuses to start, saying what to do, when no Redis answers", async () => {
    const refused = await run("dev", ["--queue", "--port", "0", "--state-dir", STATE], { REPLAY_STORE: "redis://127.0.0.1:1" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("dev --queue needs Redis at redis://127.0.0.1:1");
  });
});
