// The CLI as a subprocess: sign --curl output executed against a running service, usage errors,
// config errors, and graceful shutdown of `serve` on SIGTERM.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
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
  return run(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 20_000 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(() => service.shutdown());

describe("chatgpt-webhooks sign", () => {
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

describe("chatgpt-webhooks serve", () => {
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

  it("stops with one line naming the variable when the configuration is invalid (exit 1)", async () => {
    const result = await cli(["serve"], { WEBHOOK_SECRET: "tiny-secret", PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("WEBHOOK_SECRET");
    expect(result.stderr).not.toContain("tiny-secret");
  });

  it("on SIGTERM stops accepting, finishes the delivery in flight (200), and exits 0", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [...CLI, "serve"], {
      cwd: ROOT,
      env: {
        ...process.env,
        WEBHOOK_SECRET: TEST_SECRET,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "info",
        HANDLERS: "test/support/slow-handlers.ts",
        SLOW_HANDLER_MS: "800",
      },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const waitFor = async (text: string): Promise<void> => {
      while (!out.includes(text)) await once(child.stdout, "data");
    };
    await waitFor("receiver listening");
    const body = loadFixtures()[0]!.body;
    const inFlight = fetch(`http://127.0.0.1:${port}/webhooks/chatgpt`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...chatgptHeaders(body, TEST_SECRET) },
    });
    await waitFor("slow handler started");
    const signalled = Date.now();
    child.kill("SIGTERM");
    await waitFor("shutting down");
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow(); // no longer accepting
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed" });
    const [code] = (await once(child, "close")) as [number];
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(out).toContain('"msg":"stopped"');
  });
});
