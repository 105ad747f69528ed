// A sender that disconnects while its request waits (here on a slow rate-limit store) gets no
// verdict: no forged-signature count, no failure against its limit, no handler run.
import type { Store } from "express-rate-limit";
import { MemoryStore } from "express-rate-limit";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { rawPost } from "../support/raw-http.js";
import { startTestService, TEST_SECRET, WEBHOOK_PATH, type TestService } from "../support/service.js";

/** A memory store whose increments answer after `delayMs`, like a remote store under load. */
function slowStore(delayMs: number): Store {
  const inner = new MemoryStore();
  return Object.assign(Object.create(inner) as MemoryStore, {
    increment: async (key: string) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return inner.increment(key);
    },
    init: (options: Parameters<MemoryStore["init"]>[0]) => inner.init(options),
  });
}

let service: TestService;
let handled = 0;
beforeAll(async () => {
  service = await startTestService({ RATE_LIMIT_PER_MINUTE: "1000", RATE_LIMIT_FAILURES_PER_MINUTE: "5" }, {
    rateLimitStore: (limiter) => (limiter === "requests" ? slowStore(150) : new MemoryStore()),
    register: (receiver) => receiver.on("*", () => void handled++),
  });
});
afterAll(() => service.shutdown());

describe("a sender that leaves mid-request", () => {
  it("is neither verified nor counted when it disconnects before its body is read", async () => {
    const port = Number(new URL(service.url).port);
    for (let i = 0; i < 16; i++) {
      const body = uniqueEvent();
      const headers = Object.entries(chatgptHeaders(body, TEST_SECRET)).map(([name, value]) => `${name}: ${value}`);
      // The whole request (even rounds) or half of its body (odd), then gone while the limiter waits.
      const request = rawPost(WEBHOOK_PATH, ["Content-Type: application/json", ...headers], body);
      const socket = connect(port, "127.0.0.1");
      socket.write(i % 2 === 0 ? request : request.subarray(0, request.length - Math.floor(body.length / 2)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // the slow store answers, the route runs
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).not.toMatch(/outcome="invalid_signature"/);
    expect(handled).toBe(0);
    // Sixteen abandoned requests counted no failure: a valid delivery still passes the limit of 5.
    const body = uniqueEvent();
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(200);
  });

  it("is neither verified nor counted when it half-closes (FIN) after a whole request, before its body is read", async () => {
    const port = Number(new URL(service.url).port);
    const before = await (await fetch(`${service.url}/metrics`)).text();
    for (let i = 0; i < 8; i++) {
      const body = uniqueEvent();
      const headers = Object.entries(chatgptHeaders(body, TEST_SECRET)).map(([name, value]) => `${name}: ${value}`);
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      // The whole request, then the write side closed at once, as a load generator or a proxy
      // does when it stops: Node aborts the pending request while the limiter still waits.
      socket.end(rawPost(WEBHOOK_PATH, ["Content-Type: application/json", ...headers], body));
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // the slow store answers, the route runs
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).not.toMatch(/outcome="invalid_signature"/);
    expect(metrics.match(/outcome="invalid_payload"\} (\d+)/)?.[1]).toBe(before.match(/outcome="invalid_payload"\} (\d+)/)?.[1]);
  });
});
