// The CLI as a subprocess: sign --curl output executed against a running service, usage errors,
// config errors, and graceful shutdown of `serve` on SIGTERM.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES_DIR, loadFixtures } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startServiceProcess } from "../support/service-process.js";
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
describe("chatgpt-webhooks serve", { timeout: 60_000 }, () => {
  it("logs an unhandled promise rejection and keeps serving instead of exiting", async () => {
    const service = await startServiceProcess({ WEBHOOK_SECRET: TEST_SECRET, HANDLERS: "test/support/stray-rejection-handlers.ts" });
    try {
      const response = await fetch(`${service.url}/healthz`);
      expect(response.status).toBe(200);
      expect(service.output()).toContain("unhandled promise rejection");
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
      await service.waitFor("shutting down");
      await expect(fetch(`${service.url}/healthz`)).rejects.toThrow(); // no longer accepting
      service.signal("SIGUSR2"); // the handler finishes only now: the process waited for it
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "processed" });
      expect(await exited).toBe(0);
      expect(service.output()).toContain('"msg":"stopped"');
    });
  }
});
