// A secret volume laid out as Kubernetes (and Vault Agent) write one: each file is a symlink through
// `..data`, itself a symlink to a timestamped folder; an update swaps `..data` in one rename.
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp folder holding files the Kubernetes way. */
export interface SecretVolume {
  readonly dir: string;
  /** The path a service reads (`<dir>/<name>`, a symlink to `..data/<name>`). */
  path(name: string): string;
  /** Replaces every file at once: new timestamped folder, `..data` swapped by rename, old folder removed. */
  update(files: Readonly<Record<string, string>>): void;
  remove(): void;
}

/** Creates the volume with `files`. */
export function createSecretVolume(files: Readonly<Record<string, string>>): SecretVolume {
  const dir = mkdtempSync(join(tmpdir(), "cwr-secret-volume-"));
  let generation = 0;
  let current: string | undefined;
  const update = (next: Readonly<Record<string, string>>): void => {
    const folder = `..${Date.now()}_${++generation}`;
    mkdirSync(join(dir, folder));
    for (const [name, text] of Object.entries(next)) writeFileSync(join(dir, folder, name), text);
    symlinkSync(folder, join(dir, "..data_tmp"));
    renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
    for (const name of Object.keys(next)) {
      try {
        symlinkSync(join("..data", name), join(dir, name));
      } catch {
        // already linked through ..data
      }
    }
    if (current !== undefined) rmSync(join(dir, current), { recursive: true, force: true });
    current = folder;
  };
  update(files);
  return { dir, path: (name) => join(dir, name), update, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
