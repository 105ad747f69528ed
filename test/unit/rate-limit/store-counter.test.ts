// The counter over express-rate-limit stores: the contract on its MemoryStore, and store failures that read as "not counted".
import { MemoryStore, type Store } from "express-rate-limit";
import { describe, expect, it } from "vitest";
import { storeCounter } from "../../../src/rate-limit/store-counter.js";
import { rateLimitCounterContract } from "../../contract/rate-limit-counter-contract.js";

rateLimitCounterContract("express-rate-limit MemoryStore", () => storeCounter(), { ownCountUnderConcurrency: false });

/** A store whose every call fails, synchronously or not, as a remote store in an outage does. */
function brokenStore(how: "throws" | "rejects"): Store {
  const fail = (): never => {
    throw new Error("store down");
  };
  const call = how === "throws" ? fail : () => Promise.reject(new Error("store down"));
  return Object.assign(new MemoryStore(), { increment: call, get: call, decrement: call, resetKey: call });
}

describe("storeCounter", () => {
  it.each(["throws", "rejects"] as const)("reads a store that %s as not counted, and reports the error", async (how) => {
    const errors: unknown[] = [];
    const counter = storeCounter(() => brokenStore(how))({ requests: true, failures: true, windowMs: 60_000 }, (error) => errors.push(error));
    await expect(counter.countRequest("client")).resolves.toEqual({ requests: undefined, failures: undefined });
    await expect(counter.countFailure("client")).resolves.toBeUndefined();
    expect(errors).toHaveLength(3);
    counter.close();
  });

  it("reads a missing key of a store that answers NaN hits (rate-limit-redis does) as 0", async () => {
    const nan = Object.assign(new MemoryStore(), { get: () => Promise.resolve({ totalHits: Number.NaN, resetTime: undefined }) });
    const counter = storeCounter(() => nan)({ requests: false, failures: true, windowMs: 60_000 }, () => undefined);
    expect((await counter.countRequest("client")).failures?.hits).toBe(0);
    counter.close();
  });
});
