// The CLI as a subprocess: sign --curl output executed against a running service, usage errors,
// config errors, and graceful shutdown of `serve` on SIGTERM.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES_DIR, loadFixtures } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { createDevState, writeDevState } from "../../src/dev/dev-state.js";
import { freePort, startServiceProcess } from "../support/service-process.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = ["--import", "tsx", "src/cli/main.ts"];

function cli(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 50_000 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** The JSON log lines in a process's output (other lines skipped), to match on fields, never on message text. */
function logLines(output: string): Array<Record<string, unknown>> {
  return output.split("\n").flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown> | null;
      return typeof parsed === "object" && parsed !== null ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.shutdown());

describe("chatgpt-webhooks sign", { timeout: 60_000 }, () => {
  it("prints a curl command that, executed, is accepted", async () => {
    const fixture = loadFixtures()[0]!;
    const signed = await cli(["sign", `${FIXTURES_DIR}${fixture.file}`, "--secret", TEST_SECRET, "--curl", "--url", service.webhookUrl]);
    expect(signed.code).toBe(0);
    const curl = await run("bash", ["-c", signed.stdout]);
    expect(JSON.parse(curl.stdout)).toEqual({ status: "ignored", id: fixture.id }); // verified; no handler registered
  });

  it("with the body on stdin, prints a curl command (ending in a newline) that carries that body and is accepted", async () => {
    const id = `evt_stdin_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    // Quotes, a here-document delimiter, command substitutions and backslashes must reach the receiver as is.
    const note = "it's $(echo x) `id` \\ 'EOF' \"q\" \u00fc\nEOF\n";
    const body = `${JSON.stringify({ id, type: "batch.completed", note, data: {} }, null, 2)}\n`; // several lines
    const child = spawn(process.execPath, [...CLI, "sign", "--secret", TEST_SECRET, "--curl", "--url", service.webhookUrl], { cwd: ROOT });
    child.stdin.end(body);
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const [code] = (await once(child, "close")) as [number];
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out.endsWith("\n")).toBe(true);
    const curl = await run("bash", ["-c", `${out}`], { cwd: ROOT });
    expect(JSON.parse(curl.stdout)).toEqual({ status: "ignored", id }); // verified: the exact bytes of stdin were sent
  });

  it("prints name: value headers from stdin for the standard scheme", async () => {
    const child = spawn(process.execPath, [...CLI, "sign", "--scheme", "standard", "--secret", TEST_SECRET, "--id", "msg_1", "--timestamp", "1700000000"], { cwd: ROOT });
    child.stdin.end('{"id":"evt_1","type":"batch.completed"}');
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, "close")) as [number];
    expect(code).toBe(0);
    expect(out).toMatch(/^webhook-id: msg_1\nwebhook-timestamp: 1700000000\nwebhook-signature: v1,[A-Za-z0-9+/]{43}=\n$/);
  });

  it("names an unknown flag and exits 2", async () => {
    const result = await cli(["sign", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--bogus");
  });
});

// Each test spawns tsx processes: slow to boot on a loaded machine, so the deadline is generous.
describe("chatgpt-webhooks <command> --help", { timeout: 60_000 }, () => {
  it("lists, for each command, the flags README documents, and exits 0", async () => {
    const documented: Record<string, string[]> = {
      serve: ["Usage: chatgpt-webhooks serve"],
      worker: ["Usage: chatgpt-webhooks worker", "WORKER_CONCURRENCY"],
      events: ["failed", "show", "retry", "--all-failed", "stats", "--json", "QUEUE_URL"],
      dev: ["--port", "--handlers", "--state-dir"],
      replay: ["--url", "--scheme", "--secret", "--tamper", "--timestamp-offset", "--repeat", "--concurrency", "--type", "--expect", "--json", "--state-dir"],
      sign: ["--scheme", "--secret", "--id", "--timestamp", "--curl", "--url"],
      trigger: ["--list", "--set", "--url", "--scheme", "--secret", "--json", "--state-dir"],
    };
    const [top, ...commands] = await Promise.all([cli(["--help"]), ...Object.keys(documented).map((command) => cli([command, "--help"]))]);
    expect(top.code).toBe(0);
    for (const command of Object.keys(documented)) expect(top.stdout).toContain(command);
    Object.entries(documented).forEach(([command, flags], index) => {
      const result = commands[index]!;
      expect(result.code, command).toBe(0);
      for (const flag of flags) expect(result.stdout, `${command} --help`).toContain(flag);
    });
  });
});

describe("chatgpt-webhooks replay against a given URL", { timeout: 60_000 }, () => {
  const WHSEC = `whsec_${Buffer.alloc(32, 0x2a).toString("base64")}`;
  let standard: TestService;
  const handled: string[] = [];
  // The first four deliveries wait for each other: they finish only if replay really sends four
  // at once (sequential sending would time them out); no more than four are ever in flight.
  let inFlight = 0;
  let mostInFlight = 0;
  let openGate!: () => void;
  const fourAtOnce = new Promise<void>((resolve) => (openGate = resolve));
  beforeAll(async () => {
    standard = await startTestService({ WEBHOOK_SCHEME: "standard", WEBHOOK_SECRET: WHSEC, HANDLER_TIMEOUT_MS: "5000" }, {
      register: (receiver) =>
        receiver.on("*", async (event) => {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          if (inFlight === 4) openGate();
          if (handled.length < 4) await fourAtOnce;
          handled.push(event.id);
          inFlight--;
        }),
    });
  });
  afterAll(() => standard.shutdown());

  it("--url --scheme standard --secret --concurrency 4 --json: every fixture processed once", async () => {
    const result = await cli(["replay", FIXTURES_DIR, "--url", standard.webhookUrl, "--scheme", "standard", "--secret", WHSEC, "--concurrency", "4", "--json"]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ type: string; id: string; status: number; outcome: string; ms: number }>;
    const ids = loadFixtures().map((fixture) => fixture.id).sort();
    expect(rows.map((row) => row.id).sort()).toEqual(ids);
    for (const row of rows) expect(row).toEqual({ type: expect.any(String) as unknown, id: row.id, status: 200, outcome: "processed", ms: expect.any(Number) as unknown });
    expect([...handled].sort()).toEqual(ids);
    expect(mostInFlight).toBe(4);
  });

  it("exits 1 when the scheme or the secret does not match the receiver's", async () => {
    const fixture = `${FIXTURES_DIR}${loadFixtures()[0]!.file}`;
    const wrongScheme = await cli(["replay", fixture, "--url", standard.webhookUrl, "--scheme", "chatgpt", "--secret", WHSEC, "--json"]);
    expect(wrongScheme.code).toBe(1);
    expect(JSON.parse(wrongScheme.stdout)).toEqual([expect.objectContaining({ status: 400, outcome: "missing_header" })]);
    const wrongSecret = await cli(["replay", fixture, "--url", standard.webhookUrl, "--scheme", "standard", "--secret", `whsec_${Buffer.alloc(32, 1).toString("base64")}`, "--json"]);
    expect(wrongSecret.code).toBe(1);
    expect(JSON.parse(wrongSecret.stdout)).toEqual([expect.objectContaining({ status: 401, outcome: "invalid_signature" })]);
  });
});

describe("replay and trigger against a dev stack that has stopped", { timeout: 60_000 }, () => {
  it("exit 1 with a line saying so (the key fetch's retries never end the process silently with 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwr-stale-dev-"));
    try {
      const closed = `http://127.0.0.1:${await freePort()}`;
      await writeDevState(dir, {
        ...createDevState(),
        endpoints: { webhookUrl: `${closed}/webhooks/chatgpt`, scheme: "chatgpt", tokenEndpoint: `${closed}/token`, keyUrl: `${closed}/v1/webhook-keys`, resource: closed, rotateUrl: `${closed}/dev/rotate-key` },
      });
      for (const args of [["replay", `${FIXTURES_DIR}batch.failed.json`], ["trigger", "batch.failed"]]) {
        const result = await cli([...args, "--state-dir", dir]);
        expect(result.code, args[0]).toBe(1);
        expect(result.stderr).toContain('is "npm run dev" still running?');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("dev on a port already in use", { timeout: 60_000 }, () => {
  it("exits 1 with a line naming the port (its provider closed, nothing left listening)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwr-busy-dev-"));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const result = await cli(["dev", "--port", String(port), "--state-dir", dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("chatgpt-webhooks serve", { timeout: 60_000 }, () => {
  it("logs an unhandled promise rejection and keeps serving instead of exiting", async () => {
    const service = await startServiceProcess({ WEBHOOK_SECRET: TEST_SECRET, HANDLERS: "test/support/stray-rejection-handlers.ts" });
    try {
      // The module's own error text is the event to wait for; the service's wording is not asserted.
      await service.waitFor("stray rejection from a handlers module");
      const logged = logLines(service.output()).filter((line) => (line.err as { message?: unknown } | undefined)?.message === "stray rejection from a handlers module");
      expect(logged).toEqual([expect.objectContaining({ level: 50 })]); // logged once, as an error
      const response = await fetch(`${service.url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it("reads ./.env from its working folder; variables already set win", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwr-dotenv-"));
    try {
      const fromFile = `dotenv-secret-${Date.now()}-0123456789`;
      writeFileSync(join(dir, ".env"), `WEBHOOK_SECRET=${fromFile}\nWEBHOOK_PATH=/from-dotenv\nLOG_LEVEL=info\n`);
      const service = await startServiceProcess({ WEBHOOK_PATH: "/from-environment" }, dir);
      try {
        expect(service.webhookUrl).toBe(`${service.url}/from-environment`);
        const body = loadFixtures()[0]!.body;
        const post = (secret: string): Promise<Response> =>
          fetch(service.webhookUrl, { method: "POST", body, headers: { "content-type": "application/json", ...chatgptHeaders(body, secret) } });
        expect((await post(TEST_SECRET)).status).toBe(401); // the secret is .env's, not one from elsewhere
        expect((await post(fromFile)).status).toBe(200);
        expect(service.output()).not.toContain(fromFile);
      } finally {
        expect(await service.stop()).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops with one line naming the variable when the configuration is invalid (exit 1)", async () => {
    const result = await cli(["serve"], { WEBHOOK_SECRET: "tiny-secret", PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("WEBHOOK_SECRET");
    expect(result.stderr).not.toContain("tiny-secret");
  });

  // SIGTERM and SIGINT alike (README, Operations). The handler runs until the test sends SIGUSR2,
  // so the delivery is surely in flight when the signal lands, however slow the machine.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`on ${signal} stops accepting, finishes the delivery in flight (200), and exits 0`, { timeout: 60_000 }, async () => {
      const service = await startServiceProcess({
        WEBHOOK_SECRET: TEST_SECRET,
        HANDLERS: "test/support/slow-handlers.ts",
        SLOW_HANDLER_UNTIL: "SIGUSR2",
      });
      const body = loadFixtures()[0]!.body;
      const inFlight = fetch(service.webhookUrl, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...chatgptHeaders(body, TEST_SECRET) },
      });
      await service.waitFor("slow handler started");
      const exited = service.stop(signal);
      await service.waitFor(`"signal":"${signal}"`); // the shutdown's log line, by its field
      await expect(fetch(`${service.url}/healthz`)).rejects.toThrow(); // no longer accepting
      service.signal("SIGUSR2"); // the handler finishes only now: the process waited for it
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "processed" });
      expect(await exited).toBe(0);
      // Logs are flushed before exit: the delivery's own line is there.
      expect(logLines(service.output())).toContainEqual(expect.objectContaining({ outcome: "processed", status: 200 }));
    });
  }
});
