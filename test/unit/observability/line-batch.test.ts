// The log line batch: lines reach the target in few writes, in order, nothing lost on flush, nothing sent twice.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchLines, type LineTarget } from "../../../src/observability/line-batch.js";
import { batchedDestination, createLogger } from "../../../src/observability/logger.js";

function recordingTarget(failWrites = 0): LineTarget & { writes: string[]; flushes: string[] } {
  const writes: string[] = [];
  const flushes: string[] = [];
  let failures = failWrites;
  return {
    writes,
    flushes,
    write(chunk: string) {
      if (failures > 0) {
        failures -= 1;
        throw new Error("EPIPE");
      }
      writes.push(chunk);
      return true;
    },
    flush(done?: (error?: Error) => void) {
      flushes.push("flush");
      done?.();
    },
    flushSync() {
      flushes.push("flushSync");
    },
  };
}

describe("batchLines", () => {
  it("holds lines until they reach the minimum length, then writes them as one chunk in order", () => {
    const target = recordingTarget();
    const batch = batchLines(target, 10);
    batch.write("abc\n");
    batch.write("def\n");
    expect(target.writes).toEqual([]);
    batch.write("ghi\n");
    expect(target.writes).toEqual(["abc\ndef\nghi\n"]);
    batch.write("jkl\n");
    expect(target.writes).toEqual(["abc\ndef\nghi\n"]);
  });

  it("writes what it holds on flush and flushSync before the target flushes, and calls back", () => {
    const target = recordingTarget();
    const batch = batchLines(target, 4096);
    batch.write("one\n");
    let called = false;
    batch.flush(() => {
      called = true;
    });
    expect(target.writes).toEqual(["one\n"]);
    expect(target.flushes).toEqual(["flush"]);
    expect(called).toBe(true);
    batch.write("two\n");
    batch.flushSync();
    expect(target.writes).toEqual(["one\n", "two\n"]);
    expect(target.flushes).toEqual(["flush", "flushSync"]);
  });

  it("writes nothing on a flush with nothing held", () => {
    const target = recordingTarget();
    batchLines(target, 10).flushSync();
    expect(target.writes).toEqual([]);
    expect(target.flushes).toEqual(["flushSync"]);
  });

  it("does not send a batch again after its write failed", () => {
    const target = recordingTarget(1);
    const batch = batchLines(target, 4);
    expect(() => batch.write("lost\n")).toThrow("EPIPE");
    batch.write("next\n");
    expect(target.writes).toEqual(["next\n"]);
  });
  it("writes a logger's lines to a real file through the service's batched destination, all of them and in order, by flushSync", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwr-line-batch-"));
    try {
      const file = join(dir, "log.ndjson");
      const batch = batchedDestination(file);
      const logger = createLogger({ level: "info", destination: batch });
      for (let i = 0; i < 100; i++) logger.info({ n: i }, "line");
      const beforeFlush = readFileSync(file, "utf8").split("\n").filter(Boolean).length;
      expect(beforeFlush).toBeGreaterThan(0); // past 4096 characters, batches went out already
      expect(beforeFlush).toBeLessThan(100); // the rest waits for a flush
      batch.flushSync();
      const lines = readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { n: number });
      expect(lines.map((line) => line.n)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
