// A sender that disconnects while its request waits (here on a slow rate-limit store) gets no
// verdict: no forged-signature count, no failure against its limit, no handler run.
import type { Store } from "express-rate-limit";
import { MemoryStore } from "express-rate-limit";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryCounter } from "../../src/rate-limit/memory-counter.js";
import type { RateLimitCounterFactory } from "../../src/rate-limit/rate-limit-counter.js";
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
});

describe("a sender that half-closes after its whole request", () => {
  let halfClosed: TestService;
  const admissionsWaiting: Array<() => void> = [];
  /** While closed, admissions wait for the sender's FIN; open, they pass at once. */
  let gateOpen = false;
  let handledHere = 0;
  beforeAll(async () => {
    const counter = memoryCounter();
    // Admission waits until the server has seen the sender's FIN (as a Redis admission may):
    // Node then ends the socket (no answer can reach the sender) and body-parser, seeing the
    // socket's read side closed, skips the body it already holds.
    const gated: RateLimitCounterFactory = (limits, onError) => {
      const inner = counter(limits, onError);
      return {
        ...inner,
        countRequest: (key) =>
          gateOpen ? inner.countRequest(key) : new Promise<void>((resolve) => admissionsWaiting.push(resolve)).then(() => inner.countRequest(key)),
      };
    };
    halfClosed = await startTestService({ RATE_LIMIT_PER_MINUTE: "1000", RATE_LIMIT_FAILURES_PER_MINUTE: "5" }, {
      rateLimitCounter: gated,
      register: (receiver) => receiver.on("*", () => void handledHere++),
    });
    halfClosed.server.on("connection", (socket: Socket) =>
      socket.on("end", () => {
        for (const release of admissionsWaiting.splice(0)) release();
      }),
    );
  });
  afterAll(() => halfClosed.shutdown());

  it("gets no verdict: neither a forged-signature count nor a failure against its limit", async () => {
    const port = Number(new URL(halfClosed.url).port);
    for (let i = 0; i < 8; i++) {
      const body = uniqueEvent();
      const headers = Object.entries(chatgptHeaders(body, TEST_SECRET)).map(([name, value]) => `${name}: ${value}`);
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      socket.end(rawPost(WEBHOOK_PATH, ["Content-Type: application/json", ...headers], body));
      await once(socket, "close");
    }
    await new Promise((resolve) => setImmediate(resolve));
    const metrics = await (await fetch(`${halfClosed.url}/metrics`)).text();
    expect(metrics).not.toMatch(/outcome="invalid_signature"/);
    // Eight half-closed senders counted no failure: a valid delivery still passes the limit of 5.
    gateOpen = true;
    const body = uniqueEvent();
    expect((await halfClosed.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(200);
    expect(handledHere).toBe(1);
    gateOpen = false;
  });

  it("on a server that keeps half-open connections, answers over the open half (the whole body verified, never an empty one), then closes", async () => {
    const server = halfClosed.server as typeof halfClosed.server & { httpAllowHalfOpen: boolean };
    server.httpAllowHalfOpen = true;
    try {
      const body = uniqueEvent();
      const headers = Object.entries(chatgptHeaders(body, TEST_SECRET)).map(([name, value]) => `${name}: ${value}`);
      const socket = connect(Number(new URL(halfClosed.url).port), "127.0.0.1");
      socket.on("error", () => undefined);
      let answered = "";
      socket.on("data", (chunk: Buffer) => void (answered += chunk.toString()));
      socket.end(rawPost(WEBHOOK_PATH, ["Content-Type: application/json", ...headers], body));
      // Without the close the sender would wait until its own timeout (the test's would fail first).
      await once(socket, "close");
      expect(answered).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(answered).toContain('"status":"processed"');
      const metrics = await (await fetch(`${halfClosed.url}/metrics`)).text();
      expect(metrics).not.toMatch(/outcome="invalid_signature"/);
    } finally {
      server.httpAllowHalfOpen = false;
    }
  });
});
