// A handler that outlives its timeout keeps its claim until it settles: no second run at once, at any timeout.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryReplayStore } from "../../../src/replay/memory-replay-store.js";
import { leaseMsFor } from "../../../src/replay/replay-policy.js";
import type { ReplayStore } from "../../../src/replay/replay-store.js";
import { createWebhookReceiver as createReceiver } from "../../../src/receiver/create-receiver.js";
import { chatgptHeaders } from "../../support/independent-signers.js";
import { guardOver, timerClock } from "../../support/replay-guard-harness.js";

const SECRET = "slow-handler-secret-0123456789";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The store as Redis is: an extension lands a round trip (20 ms) after it was sent. */
function overTheNetwork(store: ReplayStore): ReplayStore {
  return {
    ...store,
    extend: (key, owner, ms) =>
      new Promise<boolean>((resolve) => setTimeout(() => resolve(store.extend(key, owner, ms) as boolean), 20)),
  };
}

describe("the claim of a handler past its timeout", () => {
  it.each([1_000, 15_000, 60_000])("with a %i ms timeout, blocks every retry until a 3x-timeout handler settles", async (timeoutMs) => {
    const leaseMs = leaseMsFor(timeoutMs);
    const store = createMemoryReplayStore({ clock: timerClock });
    const { guard, lostClaims } = guardOver(overTheNetwork(store), leaseMs);
    const claim = await guard.claim("evt");
    if (claim.status !== "claimed") throw new Error("expected a claim");
    await vi.advanceTimersByTimeAsync(timeoutMs);
    let settle = (): void => undefined;
    guard.holdUntil("evt", claim.owner, new Promise<void>((resolve) => (settle = resolve)));
    // Retry every 200 ms of the handler's remaining life (past the first lease, e.g. 30.2 s).
    const handlerMs = 3 * timeoutMs;
    for (let t = timeoutMs; t < handlerMs; t += 200) {
      expect(await store.claim("evt", leaseMs), `retry at ${t} ms`).toEqual({ status: "in_progress" });
      await vi.advanceTimersByTimeAsync(200);
    }
    settle();
    await guard.complete("evt", claim.owner, Math.floor(Date.now() / 1000));
    expect(await store.claim("evt", leaseMs)).toEqual({ status: "duplicate" });
    expect(await lostClaims()).toBe(0);
  });

  it("survives one failed extension (extended at once, then every third of a lease), and counts the failure", async () => {
    const timeoutMs = 15_000;
    const leaseMs = leaseMsFor(timeoutMs);
    const inner = createMemoryReplayStore({ clock: timerClock });
    let failNext = true;
    const store: ReplayStore = {
      ...inner,
      extend(key, owner, ms) {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error("store hiccup"));
        }
        return inner.extend(key, owner, ms);
      },
    };
    const { guard, lostClaims } = guardOver(store, leaseMs);
    const claim = await guard.claim("evt");
    if (claim.status !== "claimed") throw new Error("expected a claim");
    await vi.advanceTimersByTimeAsync(timeoutMs);
    guard.holdUntil("evt", claim.owner, new Promise<void>(() => undefined));
    await vi.advanceTimersByTimeAsync(0);
    expect(await lostClaims()).toBe(1);
    await vi.advanceTimersByTimeAsync(leaseMs - timeoutMs + 200); // past the first lease's end
    expect(await inner.claim("evt", leaseMs)).toEqual({ status: "in_progress" });
  });

  it("logs and counts a claim that was lost (another owner holds it now)", async () => {
    const leaseMs = leaseMsFor(1_000);
    const store = createMemoryReplayStore({ clock: timerClock });
    const { guard, lostClaims } = guardOver(store, leaseMs);
    await guard.claim("evt");
    guard.holdUntil("evt", "someone-else", new Promise<void>(() => undefined));
    await vi.advanceTimersByTimeAsync(leaseMs);
    expect(await lostClaims()).toBe(1); // counted once: extending a lost claim stops
  });
});

describe("a receiver whose handler outlives its timeout", () => {
  it("answers 503, then 409 to a retry past the first lease, runs once, and 200 duplicate after it settled", async () => {
    const receiver = createReceiver({ secret: SECRET, handlerTimeoutMs: 15_000, clock: timerClock });
    let runs = 0;
    let finish = (): void => undefined;
    receiver.on("response.completed", () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const body = Buffer.from(JSON.stringify({ id: "evt_slow", type: "response.completed", data: {} }));
    const deliver = () => receiver.receive({ headers: chatgptHeaders(body, SECRET, Math.floor(Date.now() / 1000)), body });

    const first = deliver();
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await first).body).toMatchObject({ error: "handler_timeout" });
    await vi.advanceTimersByTimeAsync(15_200); // 30.2 s: the first lease has ended
    expect((await deliver()).body).toMatchObject({ error: "delivery_in_progress" });
    await vi.advanceTimersByTimeAsync(14_800); // 45 s
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(await deliver()).toMatchObject({ status: 200, body: { status: "duplicate", id: "evt_slow" } });
    expect(runs).toBe(1);
    await receiver.close();
  });
});
