// Rotating WEBHOOK_SECRET_FILE under load, the Kubernetes way (a `..data` symlink swap): a delivery
// stream signed with the old secret, then both, then the new one; then an invalid and a missing file.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { createSecretVolume, type SecretVolume } from "../support/secret-volume.js";
import { startTestService, type TestService } from "../support/service.js";

const OLD = `old_${randomBytes(16).toString("hex")}`;
const NEW = `new_${randomBytes(16).toString("hex")}`;
const FILE = "webhook-secret";

let volume: SecretVolume;
let service: TestService;

beforeAll(async () => {
  volume = createSecretVolume({ [FILE]: `${OLD}\n` });
  service = await startTestService(
    { WEBHOOK_SECRET: undefined, WEBHOOK_SECRET_FILE: volume.path(FILE) },
    { register: (receiver) => receiver.on("*", () => undefined) },
  );
});
afterAll(async () => {
  await service.shutdown();
  volume.remove();
});

const logsWith = (msg: string): Array<Record<string, unknown>> => service.logs.filter((line) => line.msg === msg);
const post = (secret: string): Promise<Response> => {
  const body = uniqueEvent();
  return service.post(body, chatgptHeaders(body, secret));
};
async function metric(line: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const found = text.split("\n").find((row) => row.startsWith(line));
  return found === undefined ? 0 : Number(found.split(" ").at(-1));
}

interface Sent {
  readonly phase: string;
  readonly secret: string;
  readonly status: number;
}

/** Concurrent senders; each delivery is signed with a secret the file holds before and after any swap in progress. */
function deliveryStream(concurrency: number) {
  const sent: Sent[] = [];
  let phase = "old";
  let secrets = [OLD];
  let stopped = false;
  let turn = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopped) {
      const secret = secrets[turn++ % secrets.length] as string;
      const at = phase;
      const response = await post(secret);
      await response.body?.cancel();
      sent.push({ phase: at, secret, status: response.status });
    }
  });
  return {
    sent,
    enter(next: string, signWith: string[]) {
      phase = next;
      secrets = signWith;
    },
    count: (at: string, secret?: string) => sent.filter((s) => s.phase === at && (secret === undefined || s.secret === secret)).length,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

describe("WEBHOOK_SECRET_FILE rotated while deliveries stream in", () => {
  it("accepts old, then both, then only new, with no 5xx and no refusal of a secret in the file", async () => {
    const stream = deliveryStream(4);
    expect(await eventually(() => Promise.resolve(stream.count("old") >= 20), 10_000)).toBe(true);

    // Swap to both secrets; the old one stays valid across the swap, so the stream keeps signing with it.
    stream.enter("swap-to-both", [OLD]);
    volume.update({ [FILE]: `${OLD}\n${NEW}\n` });
    expect(await eventually(() => Promise.resolve(logsWith("secret file reloaded").length === 1), 10_000)).toBe(true);
    stream.enter("both", [OLD, NEW]);
    expect(await eventually(() => Promise.resolve(stream.count("both", NEW) >= 20 && stream.count("both", OLD) >= 20), 10_000)).toBe(true);

    // Swap to the new one only: the new secret is valid on both sides of the swap.
    stream.enter("swap-to-new", [NEW]);
    volume.update({ [FILE]: `${NEW}\n` });
    expect(await eventually(() => Promise.resolve(logsWith("secret file reloaded").length === 2), 10_000)).toBe(true);
    stream.enter("new", [NEW]);
    expect(await eventually(() => Promise.resolve(stream.count("new") >= 20), 10_000)).toBe(true);
    await stream.stop();

    expect(stream.sent.filter((s) => s.status >= 500)).toEqual([]);
    expect(stream.sent.filter((s) => s.status !== 200)).toEqual([]);
    expect((await post(OLD)).status).toBe(401);
    expect((await post(NEW)).status).toBe(200);
    expect(logsWith("secret file reloaded")[0]).toMatchObject({ level: 30, variable: "WEBHOOK_SECRET_FILE", path: volume.path(FILE) });
    expect(await metric('webhook_secret_reloads_total{variable="WEBHOOK_SECRET_FILE"}')).toBe(2);
    expect(service.rawLogs()).not.toContain(OLD);
    expect(service.rawLogs()).not.toContain(NEW);
  });

  it("keeps the current secret when the file becomes invalid, then unreadable: logged at error without content, counted, still ready", async () => {
    const tooShort = `t${randomBytes(4).toString("hex")}`;
    volume.update({ [FILE]: `${NEW}\n${tooShort}\n` });
    expect(await eventually(() => Promise.resolve(logsWith("secret file invalid: the previous value stays").length === 1), 10_000)).toBe(true);
    expect(logsWith("secret file invalid: the previous value stays")[0]).toMatchObject({ level: 50, variable: "WEBHOOK_SECRET_FILE", path: volume.path(FILE) });
    expect((await post(NEW)).status).toBe(200);
    expect(await metric('webhook_secret_reload_failures_total{variable="WEBHOOK_SECRET_FILE",reason="invalid"}')).toBe(1);

    rmSync(volume.path(FILE));
    await service.reloadSecretFiles(); // as SIGHUP does
    expect(logsWith("secret file unreadable: the previous value stays")[0]).toMatchObject({ level: 50, variable: "WEBHOOK_SECRET_FILE", code: "ENOENT" });
    expect(await metric('webhook_secret_reload_failures_total{variable="WEBHOOK_SECRET_FILE",reason="unreadable"}')).toBeGreaterThanOrEqual(1);
    expect((await post(NEW)).status).toBe(200);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect(service.rawLogs()).not.toContain(tooShort);
    expect(service.rawLogs()).not.toContain(NEW);
  });

  it("stops listening for SIGHUP (and watching) on shutdown", async () => {
    const before = process.listenerCount("SIGHUP");
    await service.shutdown();
    expect(process.listenerCount("SIGHUP")).toBe(before - 1);
  });
});
