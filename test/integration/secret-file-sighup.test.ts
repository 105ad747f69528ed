// SIGHUP re-reads secret files the folder watch cannot see; closing the reloader stops listening.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, describe, expect, it } from "vitest";
import { createStaticKeySource } from "../../src/keys/static-key-source.js";
import { startSecretFileReloader } from "../../src/service/secret-file-reloader.js";
import { eventually } from "../replay/redis-test-support.js";

const OLD = "old-webhook-secret-0123456789abcdef";
const NEW = "new-webhook-secret-0123456789abcdef";
const dir = mkdtempSync(join(tmpdir(), "cwr-sighup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SIGHUP", () => {
  it("applies a file whose folder was not there to watch, and is no longer heard after close", async () => {
    const listenersBefore = process.listenerCount("SIGHUP");
    const path = join(dir, "mounted-later", "webhook-secret");
    const source = createStaticKeySource([OLD]);
    const reloader = startSecretFileReloader({
      webhookSecret: { path, hash: "", scheme: "chatgpt", source },
      logger: pino({ enabled: false }),
      registry: new Registry(),
      pollIntervalMs: 0, // no poll: only the signal can notice the file
    });
    expect(process.listenerCount("SIGHUP")).toBe(listenersBefore + 1);
    mkdirSync(join(dir, "mounted-later"));
    writeFileSync(path, `${NEW}\n`);
    process.kill(process.pid, "SIGHUP");
    expect(await eventually(() => Promise.resolve((source.getKeys() as Array<{ secret: string }>)[0]?.secret === NEW), 10_000)).toBe(true);
    reloader?.close();
    expect(process.listenerCount("SIGHUP")).toBe(listenersBefore);
  });
});
