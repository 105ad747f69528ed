// Loading the fixture events of fixtures/ as exact bytes plus their parsed id and type.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Fixture {
  readonly file: string;
  readonly body: Buffer;
  readonly id: string;
  readonly type: string;
}

export const FIXTURES_DIR = fileURLToPath(new URL("../../fixtures/", import.meta.url));

/** Every fixture file, as bytes. */
export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const body = readFileSync(join(FIXTURES_DIR, file));
      const event = JSON.parse(body.toString("utf8")) as { id: string; type: string };
      return { file, body, id: event.id, type: event.type };
    });
}

let counter = 0;

/** A fresh event body with a unique id (for tests that need many distinct events). */
export function uniqueEvent(type = "response.completed", extra: Record<string, unknown> = {}): Buffer {
  counter += 1;
  const id = `evt_test${process.pid}x${Date.now().toString(36)}x${counter}`;
  return Buffer.from(
    JSON.stringify({ id, object: "event", created_at: Math.floor(Date.now() / 1000), type, data: { id: `resp_${counter}` }, ...extra }),
  );
}
