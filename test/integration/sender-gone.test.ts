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

/** Counts that grow, and promises of "at least n" of them. */
function counter(): { value(): number; add(): void; atLeast(n: number): Promise<void> } {
  let value = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    value: () => value,
    add() {
      value++;
      for (const waiter of waiters.splice(0)) (value >= waiter.n ? waiter.resolve : () => waiters.push(waiter))();
    },
    atLeast: (n) => (value >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}

/**
 * A memory store whose increments wait until the test lets them through (like a remote store
 * under load, but released by events, not after a delay), counting calls and answers.
 */
function gatedStore(): { store: Store; started: ReturnType<typeof counter>; answered: ReturnType<typeof counter>; release(): void; open(): void } {
  const inner = new MemoryStore();
  const started = counter();
  const answered = counter();
  const waiting: Array<() => void> = [];
  let isOpen = false;
  const store = Object.assign(Object.create(inner) as MemoryStore, {
    increment: async (key: string) => {
      started.add();
      if (!isOpen) await new Promise<void>((resolve) => waiting.push(resolve));
      const result = await inner.increment(key);
      answered.add();
      return result;
    },
    init: (options: Parameters<MemoryStore["init"]>[0]) => inner.init(options),
  });
  return {
    store,
    started,
    answered,
    release: () => waiting.shift()?.(),
    open() {
      isOpen = true;
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

let service: TestService;
let handled = 0;
const limiter = gatedStore();
/** Connections the server has seen closed. */
const serverClosed = counter();
beforeAll(async () => {
  service = await startTestService({ RATE_LIMIT_PER_MINUTE: "1000", RATE_LIMIT_FAILURES_PER_MINUTE: "5" }, {
    rateLimitStore: (name) => (name === "requests" ? limiter.store : new MemoryStore()),
    register: (receiver) => receiver.on("*", () => void handled++),
  });
  service.server.on("connection", (socket: Socket) => socket.on("close", () => serverClosed.add()));
});
afterAll(() => service.shutdown());

describe("a sender that leaves mid-request", () => {
  it("is neither verified nor counted when it disconnects before its body is read", async () => {
    const port = Number(new URL(service.url).port);
    for (let i = 0; i < 16; i++) {
      const body = uniqueEvent();
      const headers = Object.entries(chatgptHeaders(body, TEST_SECRET)).map(([name, value]) => `${name}: ${value}`);
      // The whole request (even rounds) or half of its body (odd), then gone while the limiter
      // holds it: the limiter has its call, the server has seen the close, only then it answers.
      const request = rawPost(WEBHOOK_PATH, ["Content-Type: application/json", ...headers], body);
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined);
      socket.write(i % 2 === 0 ? request : request.subarray(0, request.length - Math.floor(body.length / 2)));
      await limiter.started.atLeast(i + 1);
      const closed = serverClosed.value();
      socket.destroy();
      await serverClosed.atLeast(closed + 1);
      limiter.release();
    }
    await limiter.answered.atLeast(16); // every abandoned request went on past the limiter
    // Sixteen abandoned requests counted no failure: a valid delivery still passes the limit of 5.
    // It takes the same route after them, so once it is answered theirs have run too.
    limiter.open();
    const body = uniqueEvent();
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(200);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).not.toMatch(/outcome="invalid_signature"/);
    // Nor taken for a setup mistake (a body read by another parser): no 500, no error logged.
    expect(metrics).not.toMatch(/outcome="internal_error"/);
    expect(service.logs.filter((line) => (line.level as number) >= 50)).toEqual([]);
    expect(handled).toBe(1); // the valid delivery only
  });
});

describe("a sender that half-closes after its whole request", () => {
  let halfClosed: TestService;
  const admissionsWaiting: Array<() => void> = [];
  /** While closed, admissions wait for the sender's FIN; open, they pass at once. */
  let gateOpen = false;
  let handledHere = 0;
  const admitted = counter();
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
          gateOpen
            ? inner.countRequest(key)
            : new Promise<void>((resolve) => admissionsWaiting.push(resolve)).then(() => {
                admitted.add();
                return inner.countRequest(key);
              }),
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
    await admitted.atLeast(8); // every half-closed request went on past admission
    // Eight half-closed senders counted no failure: a valid delivery still passes the limit of 5.
    // It takes the same route after them, so once it is answered theirs have run too.
    gateOpen = true;
    const body = uniqueEvent();
    expect((await halfClosed.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(200);
    const metrics = await (await fetch(`${halfClosed.url}/metrics`)).text();
    expect(metrics).not.toMatch(/outcome="invalid_signature"/);
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
