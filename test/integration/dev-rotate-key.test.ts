// The dev provider's POST /dev/rotate-key: only with the x-dev-token that `dev` prints, never
// cross-origin, so a web page the developer visits cannot rotate (CSRF).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevState, readDevState, writeDevState } from "../../src/dev/dev-state.js";
import { startLocalProvider, type LocalProvider } from "../../src/dev/local-provider.js";

const STATE_DIR = mkdtempSync(join(tmpdir(), "cwr-rotate-"));
let provider: LocalProvider;

beforeAll(async () => {
  const state = createDevState();
  await writeDevState(STATE_DIR, state);
  provider = await startLocalProvider({ state, stateDir: STATE_DIR });
});
afterAll(async () => {
  await provider.close();
  rmSync(STATE_DIR, { recursive: true, force: true });
});

const rotate = (headers: Record<string, string>, body?: string): Promise<Response> =>
  fetch(provider.rotateUrl, { method: "POST", headers, body });

describe("POST /dev/rotate-key", () => {
  it("refuses a request without the dev token (a browser form cannot send it), rotating nothing", async () => {
    const keys = provider.state().keys.map((key) => key.id);
    const response = await rotate({ "content-type": "application/x-www-form-urlencoded" }, "rotate=1");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "dev_token_required" });
    const wrong = await rotate({ "x-dev-token": "not-the-token" });
    expect(wrong.status).toBe(403);
    expect(provider.state().keys.map((key) => key.id)).toEqual(keys);
  });

  it("refuses a cross-origin request even with the token, rotating nothing", async () => {
    const keys = provider.state().keys.map((key) => key.id);
    for (const origin of ["https://evil.example", "null", new URL(provider.rotateUrl).origin.replace("127.0.0.1", "localhost")]) {
      const response = await rotate({ "x-dev-token": provider.state().devToken, origin });
      expect(response.status, origin).toBe(403);
      expect(await response.json()).toMatchObject({ error: "cross_origin_request" });
    }
    expect(provider.state().keys.map((key) => key.id)).toEqual(keys);
  });

  it("rotates with the token, from no origin (curl) or the provider's own origin", async () => {
    const before = provider.state().keys[0]?.id;
    const fromCurl = await rotate({ "x-dev-token": provider.state().devToken });
    expect(fromCurl.status).toBe(200);
    const rotated = (await fromCurl.json()) as { signing_key: string; valid_keys: string[] };
    expect(rotated.signing_key).not.toBe(before);
    expect(rotated.valid_keys).toContain(before);
    const sameOrigin = await rotate({ "x-dev-token": provider.state().devToken, origin: new URL(provider.rotateUrl).origin });
    expect(sameOrigin.status).toBe(200);
  });

  it("keeps the dev token in the private state file, across restarts", async () => {
    const onDisk = JSON.parse(readFileSync(join(STATE_DIR, "dev.json"), "utf8")) as { devToken?: string };
    expect(onDisk.devToken).toBe(provider.state().devToken);
    expect(onDisk.devToken).toMatch(/^[\w-]{32,}$/);
    expect((await readDevState(STATE_DIR))?.devToken).toBe(onDisk.devToken);
  });
});
