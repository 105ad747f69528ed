// A full memory store that forgets ids before their retention is counted and warned about, once a minute at most.
import { Writable } from "node:stream";
import pino from "pino";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createEvictionWarning } from "../../../src/replay/eviction-warning.js";
import { createMemoryReplayStore } from "../../../src/replay/memory-replay-store.js";
import { fakeClock } from "../../support/fake-clock.js";

function setup() {
  const clock = fakeClock();
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const counter = new Counter({ name: "evictions_total", help: "test", registers: [new Registry()] });
  const onEvict = createEvictionWarning({ logger: pino(sink), clock, counter, maxEntries: 2, retentionSeconds: 345_600 });
  const store = createMemoryReplayStore({ maxEntries: 2, clock, onEvict });
  const done = async (key: string, ttlMs = 345_600_000): Promise<void> => {
    const claim = await store.claim(key, 30_000);
    if (claim.status !== "claimed") throw new Error("expected a claim");
    await store.complete(key, claim.owner, ttlMs);
  };
  const count = async (): Promise<number> => (await counter.get()).values[0]?.value ?? 0;
  const warnings = () => lines.filter((line) => line.level === 40);
  return { clock, store, done, count, warnings };
}

describe("memory store evictions before the retention", () => {
  it("are counted each, and warned about at most once a minute", async () => {
    const { clock, done, count, warnings } = setup();
    await done("a");
    await done("b");
    await done("c"); // evicts a, 4 days early
    expect(await count()).toBe(1);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ max_entries: 2, retention_seconds: 345_600 });
    await done("d");
    await done("e");
    expect(await count()).toBe(3);
    expect(warnings()).toHaveLength(1);
    clock.advance(60_000);
    await done("f");
    expect(await count()).toBe(4);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ evicted: 3 });
  });

  it("are not counted when the evicted entry had already expired", async () => {
    const { clock, done, count, warnings } = setup();
    await done("a", 1_000);
    await done("b");
    clock.advance(2_000); // a is past its ttl but still held until pushed out
    await done("c");
    expect(await count()).toBe(0);
    expect(warnings()).toHaveLength(0);
  });
});
