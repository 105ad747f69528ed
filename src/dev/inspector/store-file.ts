// Keeping the inspector's deliveries in the dev state folder, so they survive a restart of `dev`.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { InspectedDelivery } from "./inspected-delivery.js";

/** The file, inside the dev state folder. */
export const INSPECTOR_FILE = "inspector.json";

interface SavedDeliveries {
  readonly version: 1;
  readonly deliveries: readonly InspectedDelivery[];
}

/** Reads the saved deliveries; none when there is no file or it cannot be read as ours. */
export async function readSavedDeliveries(dir: string): Promise<InspectedDelivery[]> {
  try {
    const saved = JSON.parse(await readFile(join(dir, INSPECTOR_FILE), "utf8")) as Partial<SavedDeliveries>;
    return saved.version === 1 && Array.isArray(saved.deliveries) ? (saved.deliveries as InspectedDelivery[]).slice() : [];
  } catch {
    return [];
  }
}

/** A writer that saves the newest list, one write at a time (changes made while writing are saved right after). */
export interface DeliveriesWriter {
  /** Marks the list as changed: it is written soon. */
  changed(): void;
  /** Resolves once the latest list is on disk. */
  flush(): Promise<void>;
}

/**
 * Creates the writer of `list()` into `dir` (folder 0700, file 0600, written to a temporary file
 * then renamed, so a crash never leaves half a file). Write failures go to `onError`.
 */
export function createDeliveriesWriter(dir: string, list: () => readonly InspectedDelivery[], onError: (error: unknown) => void): DeliveriesWriter {
  let dirty = false;
  let writing: Promise<void> | undefined;
  const file = join(dir, INSPECTOR_FILE);

  const writeOnce = async (): Promise<void> => {
    dirty = false;
    const saved: SavedDeliveries = { version: 1, deliveries: list() };
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(`${file}.tmp`, JSON.stringify(saved), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };
  const loop = async (): Promise<void> => {
    while (dirty) {
      try {
        await writeOnce();
      } catch (error) {
        onError(error);
      }
    }
    writing = undefined;
  };
  return {
    changed() {
      dirty = true;
      // Started on the next turn, so a burst of changes is written once.
      writing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(loop);
    },
    flush: () => writing ?? Promise.resolve(),
  };
}
