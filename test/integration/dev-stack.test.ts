// `dev` and `replay` as subprocesses: the embedded provider, the real token -> key flow, and the
// documented outcomes of every replay flag.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outputUntil, runCli, SPAWN_DEADLINE_MS, startDevProcess, type DevProcess } from "../support/dev-process.js";
import { loadFixtures } from "../support/fixtures.js";

const STATE = mkdtempSync(join(tmpdir(), "cwr-dev-"));
let dev: DevProcess;

interface Row {
  type: string;
  id: string;
  status: number;
  outcome: string;
  ms: number;
}

async function replay(args: string[]): Promise<{ code: number; rows: Row[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli(["replay", ...args, "--json", "--state-dir", STATE]);
  return { code, rows: stdout.trim() === "" ? [] : (JSON.parse(stdout) as Row[]), stderr };
}

/** Writes a new event file (unique id) into the state folder and returns its path. */
function newEventFile(type: string): string {
  const id = `evt_dev_${type.replaceAll(".", "_")}_${Date.now()}_${Math.random().toString(36).slice(2)}`;
  const file = join(STATE, `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, object: "event", created_at: Math.floor(Date.now() / 1000), type, data: { id: "obj_1" } }));
  return file;
}

/** Starts `dev` on STATE (a new one, or the one a previous run left) and waits for its banner. */
async function startDev(args: string[] = [], env: Record<string, string> = {}): Promise<void> {
  dev = await startDevProcess(STATE, args, { LOG_FORMAT: "json", ...env });
}

const devState = (): { clientId: string; clientSecret: string; devToken: string; keys: Array<{ id: string; secret: string; expires_at?: string }>; endpoints: { webhookUrl: string; rotateUrl: string } } =>
  JSON.parse(readFileSync(join(STATE, "dev.json"), "utf8")) as ReturnType<typeof devState>;

beforeAll(() => startDev(), SPAWN_DEADLINE_MS);

/** dev's complete JSON log lines so far. */
const devLogLines = (): Array<Record<string, unknown>> =>
  dev.output().split("\n").slice(0, -1).filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * Waits (deadline 10 s) until dev has logged the delivery line (the one with an outcome) of event
 * `id`: its log reaches us through a pipe, possibly after replay got its answer. The handlers ran
 * before that line was written, so their lines, if any, are in by then.
 */
async function deliveryLogged(id: string): Promise<void> {
  const logged = (): boolean => devLogLines().some((line) => line.event_id === id && line.outcome !== undefined);
  await outputUntil(dev, logged);
  expect(logged()).toBe(true);
}

afterAll(async () => {
  const code = await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
  expect(code).toBe(0);
}, SPAWN_DEADLINE_MS);

describe("dev stack", { timeout: 3 * SPAWN_DEADLINE_MS }, () => {
  it("prints the webhook, token and key URLs and the client id, and keeps credentials in a private state file", () => {
    expect(dev.output()).toMatch(/webhook URL\s+http:\/\/127\.0\.0\.1:\d+\/webhooks\/chatgpt/);
    expect(dev.output()).toMatch(/token endpoint\s+http:\/\/127\.0\.0\.1:\d+\/token/);
    expect(dev.output()).toMatch(/key endpoint\s+http:\/\/127\.0\.0\.1:\d+\/v1\/webhook-keys/);
    expect(dev.output()).toContain("npm run replay -- fixtures/");
    const state = JSON.parse(readFileSync(join(STATE, "dev.json"), "utf8")) as { clientId: string; clientSecret: string };
    expect(dev.output()).toContain(state.clientId);
    expect(dev.output()).not.toContain(state.clientSecret);
    expect(statSync(join(STATE, "dev.json")).mode & 0o077).toBe(0);
  });

  it("replays every fixture through the client-credentials key flow: all processed", async () => {
    const { code, rows } = await replay(["fixtures/"]);
    expect(code).toBe(0);
    expect(rows.map((row) => row.id).sort()).toEqual(loadFixtures().map((fixture) => fixture.id).sort());
    expect(new Set(rows.map((row) => `${row.status} ${row.outcome}`))).toEqual(new Set(["200 processed"]));
  });

  it("--repeat 3 sends one signed delivery three times: processed once, then duplicates", async () => {
    const { code, rows } = await replay([newEventFile("batch.expired"), "--repeat", "3"]);
    expect(code).toBe(0);
    expect(rows.map((row) => row.outcome)).toEqual(["processed", "duplicate", "duplicate"]);
  });

  it("--tamper gets 401 invalid_signature (exit 1 unless --expect 401)", async () => {
    const failed = await replay(["fixtures/batch.completed.json", "--tamper"]);
    expect(failed.code).toBe(1);
    expect(failed.rows[0]).toMatchObject({ status: 401, outcome: "invalid_signature" });
    expect((await replay(["fixtures/batch.completed.json", "--tamper", "--expect", "401"])).code).toBe(0);
  });

  it("--timestamp-offset -600 gets 401 timestamp_out_of_tolerance", async () => {
    const { code, rows } = await replay(["fixtures/batch.completed.json", "--timestamp-offset", "-600", "--expect", "401"]);
    expect(code).toBe(0);
    expect(rows[0]).toMatchObject({ status: 401, outcome: "timestamp_out_of_tolerance" });
  });

  it("--type filters, and an unknown flag is named with exit 2", async () => {
    const { rows } = await replay(["fixtures/", "--type", "eval.run.failed"]);
    expect(rows.map((row) => row.type)).toEqual(["eval.run.failed"]);
    const usage = await replay(["fixtures/", "--bogus"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--bogus");
  });

  it("logs every event it receives when started without --handlers", async () => {
    const file = newEventFile("batch.cancelled");
    const { code, rows } = await replay([file]);
    expect(code).toBe(0);
    await deliveryLogged(rows[0]!.id);
    // A line from the handler itself (it carries the delivery's context), not only the access line.
    expect(devLogLines().filter((line) => line.event_id === rows[0]!.id && line.outcome === undefined).length).toBeGreaterThan(0);
  });

  it("after a key rotation, new deliveries (signed with the new key) are accepted, and the old key for its hour of grace", async () => {
    const before = devState();
    expect(dev.output()).toContain(`curl -X POST -H 'x-dev-token: ${before.devToken}' ${before.endpoints.rotateUrl}`);
    const rotated = (await (await fetch(before.endpoints.rotateUrl, { method: "POST", headers: { "x-dev-token": before.devToken } })).json()) as {
      valid_keys: string[];
    };
    expect(rotated.valid_keys).toHaveLength(2);
    const { code, rows } = await replay([newEventFile("batch.completed")]);
    expect(code).toBe(0);
    expect(rows[0]).toMatchObject({ status: 200, outcome: "processed" });

    const after = devState();
    const old = after.keys.find((key) => key.id === before.keys[0]!.id)!;
    expect(after.keys[0]!.id).not.toBe(old.id);
    const graceLeftMs = Date.parse(old.expires_at ?? "") - Date.now();
    expect(graceLeftMs).toBeGreaterThan(55 * 60_000);
    expect(graceLeftMs).toBeLessThanOrEqual(60 * 60_000);
    const signedWithOld = await replay([newEventFile("batch.completed"), "--secret", old.secret, "--url", after.endpoints.webhookUrl]);
    expect(signedWithOld.code).toBe(0);
    expect(signedWithOld.rows[0]).toMatchObject({ status: 200, outcome: "processed" });
  });

  it("keeps its client credentials and keys across a restart; restarted with --handlers, runs those handlers instead of logging", async () => {
    const before = devState();
    expect(await dev.stop()).toBe(0);
    const handledLog = join(STATE, "handled.log");
    writeFileSync(handledLog, "");
    await startDev(["--handlers", "test/support/recording-handlers.ts"], { HANDLED_LOG: handledLog });
    const after = devState();
    expect({ clientId: after.clientId, clientSecret: after.clientSecret, keys: after.keys }).toEqual({
      clientId: before.clientId,
      clientSecret: before.clientSecret,
      keys: before.keys,
    });
    expect(dev.output()).toContain(before.clientId);
    const { code, rows } = await replay([newEventFile("batch.completed")]);
    expect(code).toBe(0);
    expect(rows[0]).toMatchObject({ status: 200, outcome: "processed" });
    expect(readFileSync(handledLog, "utf8").split("\n")).toContain(rows[0]!.id); // the --handlers module ran
    await deliveryLogged(rows[0]!.id);
    expect(devLogLines().filter((line) => line.event_id === rows[0]!.id && line.outcome === undefined)).toEqual([]); // not the default logger
  });
});
