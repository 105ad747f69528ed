// Noticing that files changed without a restart: a watch on each file's folder, an explicit check
// (SIGHUP) and a stat poll as fallback (README, "Secrets from files").
import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";

/** One file that could not be read. */
export interface FileReadFailure {
  readonly path: string;
  /** The system error code (`ENOENT`, `EACCES` ...), never the content. */
  readonly code: string;
}

/** Options of {@link watchFiles}. */
export interface WatchFilesOptions {
  readonly paths: readonly string[];
  /**
   * Called with every file's text when at least one changed (content hash, not mtime). A throw
   * refuses the change: the same content is not offered again until the files change once more.
   */
  readonly onChange: (contents: ReadonlyMap<string, string>) => void;
  /** Called when a file cannot be read; nothing is applied until every file reads again. */
  readonly onReadError: (failure: FileReadFailure) => void;
  /** Fallback poll period. Defaults to 30000 ms; 0 turns the poll off. */
  readonly pollIntervalMs?: number;
  /** The hashes the files had when they were first read (their change starts the first reload). */
  readonly initial?: ReadonlyMap<string, string>;
}

/** Files being watched. */
export interface WatchedFiles {
  /** Re-reads every file now and applies a change (resolves once done). */
  check(): Promise<void>;
  /** Stops the watches and the poll. */
  close(): void;
}

/** The content hash that decides whether a file changed. */
export function contentHash(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Watches `paths` together: a Kubernetes or Vault Agent volume swaps its `..data` symlink, which
 * a watch on the file itself misses, so each distinct folder is watched and any event there
 * re-reads every file; a certificate and its key that change together are applied together.
 * Watches and the poll timer are unref'd: they never keep the process alive.
 */
export function watchFiles(options: WatchFilesOptions): WatchedFiles {
  let seen = options.initial ? new Map(options.initial) : undefined;
  let tail: Promise<void> = Promise.resolve();
  let pending: Promise<void> | undefined;
  let closed = false;

  async function readAll(): Promise<Map<string, string> | undefined> {
    const contents = new Map<string, string>();
    for (const path of options.paths) {
      try {
        contents.set(path, await readFile(path, "utf8"));
      } catch (error) {
        if (!closed) options.onReadError({ path, code: (error as NodeJS.ErrnoException).code ?? "read_error" });
        return undefined;
      }
    }
    return contents;
  }

  async function checkOnce(): Promise<void> {
    const contents = await readAll();
    if (contents === undefined || closed) return;
    const hashes = new Map([...contents].map(([path, content]) => [path, contentHash(content)]));
    const changed = seen === undefined || [...hashes].some(([path, hash]) => seen?.get(path) !== hash);
    seen = hashes;
    if (changed) options.onChange(contents);
  }

  // Checks run one at a time; a call while one waits to start shares it (it reads after the call).
  function check(): Promise<void> {
    if (pending !== undefined) return pending;
    const next = tail.then(async () => {
      pending = undefined;
      try {
        await checkOnce();
      } catch {
        // onChange refused the content: it stays "seen" until the files change again
      }
    });
    pending = next;
    tail = next;
    return next;
  }

  const watchers: FSWatcher[] = [];
  for (const folder of new Set(options.paths.map((path) => dirname(path)))) {
    try {
      const watcher = watch(folder, { persistent: false }, () => void check());
      watcher.on("error", () => undefined); // the folder went away: the poll still notices its return
      watchers.push(watcher);
    } catch {
      // the folder cannot be watched (e.g. some network filesystems): the poll covers it
    }
  }
  const pollMs = options.pollIntervalMs ?? 30_000;
  const timer = pollMs > 0 ? setInterval(() => void check(), pollMs).unref() : undefined;
  if (seen === undefined) void check();

  return {
    check,
    close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
