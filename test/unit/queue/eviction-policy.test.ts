// Judging CONFIG GET maxmemory-policy: only noeviction is safe; a refused or empty answer is "could not be checked".
import { describe, expect, it } from "vitest";
import { judgeEvictionPolicy } from "../../../src/queue/eviction-policy.js";

describe("judgeEvictionPolicy", () => {
  it("is safe only with noeviction", () => {
    expect(judgeEvictionPolicy({ reply: { "maxmemory-policy": "noeviction" } })).toEqual({ kind: "safe" });
  });

  it("says every other policy evicts, naming it", () => {
    for (const policy of ["allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-ttl", "allkeys-random"]) {
      expect(judgeEvictionPolicy({ reply: { "maxmemory-policy": policy } })).toEqual({ kind: "evicts", policy });
    }
  });

  it("cannot tell when CONFIG GET was refused or answered nothing", () => {
    expect(judgeEvictionPolicy({ error: new Error("ERR unknown command 'CONFIG'") })).toEqual({ kind: "unknown", reason: "ERR unknown command 'CONFIG'" });
    expect(judgeEvictionPolicy({ reply: {} })).toMatchObject({ kind: "unknown" });
    expect(judgeEvictionPolicy({ reply: { "maxmemory-policy": "" } })).toMatchObject({ kind: "unknown" });
  });
});
