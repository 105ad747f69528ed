// Noticing changed files on a real filesystem: a Kubernetes `..data` swap and a plain rename-swap
// through the folder watch, a content change the mtime hides through a check, the poll when the
// folder cannot be watched, read errors.
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchFiles, type FileReadFailure, type WatchedFiles, type WatchFilesOptions } from "../../../src/config/watched-files.js";
import { createSecretVolume } from "../../support/secret-volume.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Watches with every change and read error recorded, and a wait for the next matching change. */
function watched(paths: string[], extra: Partial<WatchFilesOptions> = {}) {
  const changes: Array<ReadonlyMap<string, string>> = [];
  const failures: FileReadFailure[] = [];
  const waiters: Array<() => void> = [];
  const files: WatchedFiles = watchFiles({
    paths,
    pollIntervalMs: 0,
    onChange: (contents) => {
      changes.push(contents);
      for (const wake of waiters.splice(0)) wake();
    },
    onReadError: (failure) => {
      failures.push(failure);
      for (const wake of waiters.splice(0)) wake();
    },
    ...extra,
  });
  cleanups.push(() => files.close());
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { files, changes, failures, until, last: () => changes.at(-1) };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cwr-watched-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("watchFiles", () => {
  it("reads the files at once when no initial hashes are given", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a"), "one");
    const w = watched([join(dir, "a")]);
    await w.until(() => w.changes.length === 1);
    expect(w.last()?.get(join(dir, "a"))).toBe("one");
  });

  it("sees a Kubernetes ..data symlink swap through the folder watch, both files together", async () => {
    const volume = createSecretVolume({ "tls.crt": "cert-1", "tls.key": "key-1" });
    cleanups.push(() => volume.remove());
    const w = watched([volume.path("tls.crt"), volume.path("tls.key")]);
    await w.until(() => w.changes.length === 1);
    // Twice: a watch on the file itself sees the first swap (its old target is deleted), then nothing.
    for (const n of [2, 3]) {
      await w.files.check(); // settles checks the previous swap's events queued: only this swap's events count
      volume.update({ "tls.crt": `cert-${n}`, "tls.key": `key-${n}` });
      await w.until(() => w.last()?.get(volume.path("tls.key")) === `key-${n}`);
      expect(w.last()?.get(volume.path("tls.crt"))).toBe(`cert-${n}`);
    }
  });

  it("sees a plain rename-swap of the file through the folder watch", async () => {
    const dir = tempDir();
    const path = join(dir, "secret");
    writeFileSync(path, "first");
    const w = watched([path]);
    await w.until(() => w.changes.length === 1);
    for (const text of ["second", "third"]) {
      await w.files.check();
      writeFileSync(join(dir, ".secret.tmp"), text);
      renameSync(join(dir, ".secret.tmp"), path);
      await w.until(() => w.last()?.get(path) === text);
    }
  });

  it("compares content, not mtime: a same-size rewrite with the old mtime is applied on check", async () => {
    const dir = tempDir();
    const path = join(dir, "secret");
    writeFileSync(path, "aaaa");
    const { mtime } = statSync(path);
    const w = watched([path]);
    await w.until(() => w.changes.length === 1);
    writeFileSync(path, "bbbb");
    utimesSync(path, mtime, mtime);
    await w.files.check();
    expect(w.last()?.get(path)).toBe("bbbb");
    const count = w.changes.length;
    await w.files.check();
    expect(w.changes).toHaveLength(count); // unchanged content: nothing offered again
  });

  it("reports a file that cannot be read with its code, and polls a folder it could not watch", async () => {
    const dir = tempDir();
    const path = join(dir, "later", "secret");
    const w = watched([path], { pollIntervalMs: 20 });
    await w.until(() => w.failures.length >= 1);
    expect(w.failures[0]).toEqual({ path, code: "ENOENT" });
    mkdirSync(join(dir, "later"));
    writeFileSync(path, "arrived");
    await w.until(() => w.last()?.get(path) === "arrived");
  });

  it("offers nothing after close", async () => {
    const dir = tempDir();
    const path = join(dir, "secret");
    writeFileSync(path, "first");
    const w = watched([path], { initial: new Map() });
    w.files.close();
    writeFileSync(path, "second");
    await w.files.check();
    expect(w.changes).toHaveLength(0);
  });
});
