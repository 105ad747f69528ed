// Finding the fixture events to replay: files, or every .json file under folders, read as exact bytes.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../usage-error.js";

/** One event file to send. */
export interface EventFile {
  readonly path: string;
  readonly body: Buffer;
  readonly id: string;
  readonly type: string;
}

async function jsonFilesUnder(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new UsageError(`no such file or folder: ${path}`);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() || entry.name.endsWith(".json"))
      .map((entry) => jsonFilesUnder(join(path, entry.name))),
  );
  return nested.flat().sort();
}

function describeEvent(path: string, body: Buffer): EventFile {
  let event: unknown;
  try {
    event = JSON.parse(body.toString("utf8"));
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
  const { id, type } = (event ?? {}) as { id?: unknown; type?: unknown };
  if (typeof id !== "string" || typeof type !== "string") throw new UsageError(`${path} has no string "id" and "type"`);
  return { path, body, id, type };
}

/** Reads every event under `paths`, keeping those of `type` when given. @throws UsageError */
export async function collectEvents(paths: readonly string[], type?: string): Promise<EventFile[]> {
  const files = (await Promise.all(paths.map(jsonFilesUnder))).flat();
  const events = await Promise.all(files.map(async (path) => describeEvent(path, await readFile(path))));
  return type === undefined ? events : events.filter((event) => event.type === type);
}
