// `trigger` against a running `dev` (child processes): every known type answered 200 and handled,
// --set overrides reaching the handler, usage errors; and dev's log format (LOG_FORMAT).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENAI_EVENT_TYPES } from "../../src/events/openai-events.js";
import { childEnvWithout, outputUntil, ROOT, runCli, SPAWN_DEADLINE_MS, startDevProcess, type DevProcess } from "../support/dev-process.js";

const STATE = mkdtempSync(join(tmpdir(), "cwr-trigger-"));
const EVENTS_FILE = join(STATE, "events.jsonl");
let dev: DevProcess;

interface Row {
  type: string;
  id: string;
  status: number;
  outcome: string;
}

async function trigger(args: string[], stateDir = STATE): Promise<{ code: number; rows: Row[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli(["trigger", ...args, "--json", "--state-dir", stateDir]);
  return { code, rows: stdout.trim() === "" ? [] : (JSON.parse(stdout) as Row[]), stderr };
}

/** The events the handlers module recorded, by id. */
function handledEvents(): Map<string, Record<string, unknown>> {
  const lines = readFileSync(EVENTS_FILE, "utf8").split("\n").filter((line) => line !== "");
  return new Map(lines.map((line) => JSON.parse(line) as Record<string, unknown>).map((event) => [event.id as string, event]));
}

/** Runs `work` over `items`, `concurrency` at a time (spawning 15 processes at once would starve the machine). */
async function inBatches<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency) results.push(...(await Promise.all(items.slice(i, i + concurrency).map(work))));
  return results;
}

beforeAll(async () => {
  writeFileSync(EVENTS_FILE, "");
  dev = await startDevProcess(STATE, ["--handlers", "test/support/handlers/recorded-events.js"], { EVENTS_FILE });
}, SPAWN_DEADLINE_MS);

afterAll(async () => {
  const code = await dev.stop();
  rmSync(STATE, { recursive: true, force: true });
  expect(code).toBe(0);
}, SPAWN_DEADLINE_MS);

describe("chatgpt-webhooks trigger", { timeout: 4 * SPAWN_DEADLINE_MS }, () => {
  it("--list prints every known type, one a line", async () => {
    const { code, stdout } = await runCli(["trigger", "--list"]);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([...OPENAI_EVENT_TYPES]);
  });

  it("sends every listed type to dev: all answered 200 processed, each handled once with a fresh evt_ id and created_at", async () => {
    const before = Math.floor(Date.now() / 1000);
    const results = await inBatches(OPENAI_EVENT_TYPES, 3, (type) => trigger([type]));
    expect(results.map((result) => result.code)).toEqual(OPENAI_EVENT_TYPES.map(() => 0));
    const rows = results.flatMap((result) => result.rows);
    expect(rows.map((row) => [row.type, row.status, row.outcome])).toEqual(OPENAI_EVENT_TYPES.map((type) => [type, 200, "processed"]));
    const handled = handledEvents();
    for (const row of rows) {
      expect(row.id).toMatch(/^evt_[0-9a-f]{32}$/);
      expect(handled.get(row.id)).toMatchObject({ id: row.id, type: row.type, object: "event" });
      expect(handled.get(row.id)?.created_at).toBeGreaterThanOrEqual(before);
    }
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });

  it("--set overrides reach the handler's event: strings, JSON values, new nested fields, list items", async () => {
    const { code, rows } = await trigger([
      "realtime.call.incoming",
      "--set",
      "data.call_id=rtc_override_1",
      "--set",
      "data.sip_headers.0.value=Alex <sip:alex@example.com>",
      "--set",
      "data.attempt=2",
      "--set",
      'metadata={"note":"hello world","flag":true}',
    ]);
    expect(code).toBe(0);
    const event = handledEvents().get(rows[0]!.id);
    expect(event).toMatchObject({
      type: "realtime.call.incoming",
      data: { call_id: "rtc_override_1", attempt: 2 },
      metadata: { note: "hello world", flag: true },
    });
    const headers = (event?.data as { sip_headers: unknown[] }).sip_headers;
    expect(headers[0]).toEqual({ name: "From", value: "Alex <sip:alex@example.com>" });
    expect(headers.length).toBeGreaterThan(1); // the template's other headers stay
  });

  it("--set data.id=resp_123 and a chosen id: sent twice, the second is a duplicate", async () => {
    const id = `evt_trigger_${Date.now()}`;
    const first = await trigger(["response.completed", "--set", "data.id=resp_123", "--set", `id=${id}`]);
    expect(first.rows[0]).toMatchObject({ id, status: 200, outcome: "processed" });
    expect(handledEvents().get(id)).toMatchObject({ data: { id: "resp_123" } });
    const second = await trigger(["response.completed", "--set", `id=${id}`]);
    expect(second.rows[0]).toMatchObject({ id, status: 200, outcome: "duplicate" });
  });

  it.each([
    [["nope.event"], '"nope.event"'],
    [[], "event type"],
    [["batch.completed", "--set", "data..id=x"], "data..id"],
    [["batch.completed", "--set", "data.id.deeper=x"], "data.id"],
    [["batch.completed", "--set", "data.id"], "path=value"],
    [["batch.completed", "--bogus"], "--bogus"],
    [["batch.completed", "--scheme", "hmac"], "--scheme"],
  ])("usage error: trigger %j exits 2 naming %s, and sends nothing", async (args, named) => {
    const before = handledEvents().size;
    const { code, stderr } = await runCli(["trigger", ...args, "--state-dir", STATE]);
    expect(code).toBe(2);
    expect(stderr).toContain(named);
    expect(handledEvents().size).toBe(before);
  });
});

describe("dev log format", { timeout: 3 * SPAWN_DEADLINE_MS }, () => {
  it("without LOG_FORMAT, into a pipe, dev writes JSON lines (the delivery line among them)", async () => {
    const { rows } = await trigger(["batch.failed"]);
    const id = rows[0]!.id;
    const output = await outputUntil(dev, (text) => text.split("\n").some((line) => line.startsWith("{") && line.includes(id) && line.includes('"outcome"')));
    const logLines = output.split("\n").filter((line) => line.startsWith("{"));
    const parsed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.some((line) => line.event_id === id && line.outcome === "processed")).toBe(true);
    expect(output).not.toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] /m);
  });

  it("LOG_FORMAT=pretty writes readable lines, and no JSON, also into a pipe", async () => {
    const state = mkdtempSync(join(tmpdir(), "cwr-trigger-pretty-"));
    const pretty = await startDevProcess(state, [], { LOG_FORMAT: "pretty" });
    try {
      const { code, rows } = await trigger(["eval.run.canceled"], state);
      expect(code).toBe(0);
      const id = rows[0]!.id;
      const output = await outputUntil(pretty, (text) => text.split("\n").some((line) => line.includes(id) && line.includes("processed")));
      expect(output).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] INFO: .*"event_id":"${id}".*$`, "m"));
      expect(output.split("\n").filter((line) => line.startsWith("{"))).toEqual([]);
    } finally {
      expect(await pretty.stop()).toBe(0);
      rmSync(state, { recursive: true, force: true });
    }
  });

  it("without LOG_FORMAT, on a terminal (a pseudo-terminal from util-linux's script), dev writes readable, coloured lines", async () => {
    const state = mkdtempSync(join(tmpdir(), "cwr-trigger-tty-"));
    const command = `${process.execPath} --import tsx src/cli/main.ts dev --port 0 --state-dir ${state}`;
    const tty = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env: { ...childEnvWithout("LOG_FORMAT", "NO_COLOR", "FORCE_COLOR"), TERM: "xterm" }, detached: true });
    let output = "";
    tty.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(tty, "exit");
    try {
      const waitFor = async (text: () => string): Promise<void> => {
        while (!output.includes(text())) {
          const next = await Promise.race([once(tty.stdout, "data").then(() => "data"), exited.then(() => "exit")]);
          if (next === "exit") throw new Error(`dev under script exited:\n${output}`);
        }
      };
      await waitFor(() => "curl -X POST");
      const { code, rows } = await trigger(["batch.completed"], state);
      expect(code).toBe(0);
      await waitFor(() => `"event_id":"${rows[0]!.id}"`); // a line about the delivery, in either format
      const lines = output.split(/\r?\n/).filter((line) => line.includes(`"event_id":"${rows[0]!.id}"`));
      for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] \S*INFO\S*: /);
      expect(output).toContain("\u001b[32mINFO"); // coloured: a terminal
      expect(output.split(/\r?\n/).filter((line) => line.startsWith('{"level"'))).toEqual([]);
      // The inspector still gets the JSON lines: the handler's line is attached to the delivery.
      const inspector = /inspector\s+(http:\/\/127\.0\.0\.1:\d+)\/_inspector\/#token=(\S+)/.exec(output);
      expect(inspector).not.toBeNull();
      const [, base, token] = inspector!;
      const api = (path: string): Promise<unknown> => fetch(`${base}/_inspector/api/${path}`, { headers: { "x-dev-token": decodeURIComponent(token!) } }).then((r) => r.json());
      const { deliveries } = (await api("deliveries")) as { deliveries: Array<{ seq: number; eventId?: string }> };
      const seq = deliveries.find((delivery) => delivery.eventId === rows[0]!.id)?.seq;
      const detail = (await api(`deliveries/${String(seq)}`)) as { logs: Array<{ msg?: string }> };
      expect(detail.logs.map((line) => line.msg)).toContain("dev handler received an event");
    } finally {
      process.kill(-tty.pid!, "SIGTERM");
      await exited;
      rmSync(state, { recursive: true, force: true });
    }
  });

  it("an invalid LOG_FORMAT stops dev at start with one line naming the variable", async () => {
    const state = mkdtempSync(join(tmpdir(), "cwr-trigger-bad-"));
    try {
      const { code, stderr } = await runCli(["dev", "--port", "0", "--state-dir", state], { LOG_FORMAT: "xml" });
      expect(code).toBe(1);
      expect(stderr).toMatch(/^chatgpt-webhooks: invalid configuration: LOG_FORMAT: .*"xml"/m);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });
});
