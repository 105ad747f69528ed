// The inspector's deliveries on disk: written once per burst of changes, read back, private, unreadable files ignored.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createDeliveryStore } from "../../../../src/dev/inspector/delivery-store.js";
import { createDeliveriesWriter, INSPECTOR_FILE, readSavedDeliveries } from "../../../../src/dev/inspector/store-file.js";

const dirs: string[] = [];
const newDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "cwr-inspector-file-"));
  dirs.push(dir);
  return join(dir, "state");
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const observation = (id: string) => ({
  status: 200,
  outcome: "processed",
  eventId: id,
  eventType: "batch.completed",
  durationMs: 1,
  headers: {},
  body: Buffer.from(`{"id":"${id}"}`),
  answer: { status: "processed", id },
  answeredAt: 1,
});

describe("the inspector's file", () => {
  it("saves the latest list and reads it back into a new store", async () => {
    const dir = newDir();
    const store = createDeliveryStore();
    const errors: unknown[] = [];
    const writer = createDeliveriesWriter(dir, () => store.list(), (error) => errors.push(error));
    store.subscribe(() => writer.changed());
    for (const id of ["evt_a", "evt_b", "evt_c"]) store.add(observation(id));
    await writer.flush();
    expect(errors).toEqual([]);
    expect(statSync(join(dir, INSPECTOR_FILE)).mode & 0o077).toBe(0);
    const saved = await readSavedDeliveries(dir);
    expect(saved.map((delivery) => delivery.eventId)).toEqual(["evt_c", "evt_b", "evt_a"]);
    expect(createDeliveryStore({ initial: saved }).list()).toEqual(store.list());
    store.clear();
    await writer.flush();
    expect(await readSavedDeliveries(dir)).toEqual([]);
  });

  it("reads nothing from a missing or foreign file", async () => {
    const dir = newDir();
    expect(await readSavedDeliveries(dir)).toEqual([]);
    const store = createDeliveryStore();
    const writer = createDeliveriesWriter(dir, () => store.list(), () => undefined);
    writer.changed();
    await writer.flush();
    expect(JSON.parse(readFileSync(join(dir, INSPECTOR_FILE), "utf8"))).toEqual({ version: 1, deliveries: [] });
    writeFileSync(join(dir, INSPECTOR_FILE), "{not json");
    expect(await readSavedDeliveries(dir)).toEqual([]);
    writeFileSync(join(dir, INSPECTOR_FILE), JSON.stringify({ version: 2, deliveries: [{}] }));
    expect(await readSavedDeliveries(dir)).toEqual([]);
  });
});
