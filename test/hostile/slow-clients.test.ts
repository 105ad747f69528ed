// Slow clients (slowloris): headers or body a byte at a time are cut off by the server's timeouts, and others are served meanwhile.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { DEFAULT_SERVER_TIMEOUTS } from "../../src/service/start-service.js";
import { startTestService, TEST_SECRET, WEBHOOK_PATH, type TestService } from "../support/service.js";

// The service's timeouts are tightened for this file through its `serverTimeouts` option. They
// are the behaviour under test, so results are bounded by them, with at least a second of slack;
// "served meanwhile" means answered while the slow connection is still open, not "under N ms".
const HEADERS_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 4_000;
const CHECK_EVERY_MS = 50;
const DRIP_GAP_MS = 20;
const SLACK_MS = 2_000;

let service: TestService;
let port: number;
const handledIds: string[] = [];

beforeAll(async () => {
  service = await startTestService(
    { RATE_LIMIT_PER_MINUTE: "0", RATE_LIMIT_FAILURES_PER_MINUTE: "0" },
    {
      register: (receiver) => receiver.on("*", (event) => void handledIds.push(event.id)),
      serverTimeouts: { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: CHECK_EVERY_MS },
    },
  );
  port = Number(new URL(service.url).port);
});
afterAll(() => service.shutdown());

interface TrickleResult {
  /** Time from the first byte to the server closing the connection. */
  readonly ms: number;
  readonly bytesSent: number;
  /** What the server wrote before closing (e.g. `HTTP/1.1 408 Request Timeout`). */
  readonly received: string;
}

/** A slow client under way. */
interface Trickle {
  /** Settles once the server has closed the connection (or `giveUpMs` passed: then `ms` is Infinity). */
  readonly closed: Promise<TrickleResult>;
  /** Resolves once `bytes` bytes are written (or the connection closed first). */
  sent(bytes: number): Promise<void>;
  /** Whether the server has not closed the connection yet. */
  open(): boolean;
}

/** Sends `head` at once, then `drip` one byte every {@link DRIP_GAP_MS}, until the server closes the connection. */
function trickle(head: string, drip: Buffer, giveUpMs = 3 * REQUEST_TIMEOUT_MS): Trickle {
  let sent = 0;
  let isOpen = true;
  const waiting: Array<{ bytes: number; resolve: () => void }> = [];
  const progress = (): void => {
    for (const waiter of waiting.splice(0)) {
      if (!isOpen || sent >= waiter.bytes) waiter.resolve();
      else waiting.push(waiter);
    }
  };
  const closed = new Promise<TrickleResult>((resolve) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let timer: NodeJS.Timeout | undefined;
    const done = (ms: number): void => {
      clearInterval(timer);
      clearTimeout(giveUp);
      isOpen = false;
      progress();
      socket.destroy();
      resolve({ ms, bytesSent: sent, received });
    };
    const giveUp = setTimeout(() => done(Number.POSITIVE_INFINITY), giveUpMs);
    socket.on("data", (chunk: Buffer) => void (received += chunk.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => done(performance.now() - started));
    socket.on("connect", () => {
      if (head !== "") socket.write(head);
      timer = setInterval(() => {
        if (sent < drip.length && !socket.destroyed) {
          socket.write(drip.subarray(sent, ++sent));
          progress();
        }
      }, DRIP_GAP_MS);
    });
  });
  return {
    closed,
    sent: (bytes) => new Promise<void>((resolve) => {
      waiting.push({ bytes, resolve });
      progress();
    }),
    open: () => isOpen,
  };
}

/** A normal signed delivery; resolves with its status and id. */
async function normalDelivery(): Promise<{ status: number; id: string }> {
  const body = uniqueEvent();
  const response = await service.post(body, chatgptHeaders(body, TEST_SECRET));
  await response.arrayBuffer();
  return { status: response.status, id: (JSON.parse(body.toString()) as { id: string }).id };
}

const endlessHeaders = Buffer.from(Array.from({ length: 2000 }, (_, i) => `x-slow-${i}: v\r\n`).join(""));

describe("slow clients", () => {
  it("ships with header, request and keep-alive timeouts, checked every second", async () => {
    const plain = await startTestService();
    try {
      expect(DEFAULT_SERVER_TIMEOUTS).toEqual({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 });
      const { headersTimeout, requestTimeout, keepAliveTimeout } = plain.server;
      expect({ headersTimeout, requestTimeout, keepAliveTimeout }).toEqual({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 });
    } finally {
      await plain.shutdown();
    }
  });

  describe("with the timeouts tightened for the test", () => {

    it("cuts off a client sending its headers one byte at a time at headersTimeout (408), while others are served", async () => {
      const slow = trickle("", Buffer.concat([Buffer.from(`POST ${WEBHOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n`), endlessHeaders]));
      await slow.sent(5);
      const meanwhile = await normalDelivery();
      expect(meanwhile.status).toBe(200);
      expect(slow.open()).toBe(true); // answered while the slow client still held its connection
      const result = await slow.closed;
      expect(result.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(result.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(result.ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
      expect(result.bytesSent).toBeLessThan(endlessHeaders.length); // cut off, not finished
    });

    it("cuts off a client sending a signed body one byte at a time at requestTimeout (408); its event is never handled", async () => {
      const body = uniqueEvent("response.completed", { pad: "p".repeat(2000) });
      const id = (JSON.parse(body.toString()) as { id: string }).id;
      const headers = chatgptHeaders(body, TEST_SECRET);
      const head = [
        `POST ${WEBHOOK_PATH} HTTP/1.1`,
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        `Content-Length: ${body.length}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        "",
        "",
      ].join("\r\n");
      const slow = trickle(head, body);
      for (let i = 1; i <= 3; i++) {
        await slow.sent(10 * i);
        const meanwhile = await normalDelivery();
        expect(meanwhile.status).toBe(200);
        expect(slow.open()).toBe(true);
      }
      const result = await slow.closed;
      expect(result.received).toMatch(/^HTTP\/1\.1 408 /);
      // Each byte came well within headersTimeout: only the whole-request bound stopped it.
      expect(result.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(result.ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
      expect(result.bytesSent).toBeLessThan(body.length);
      expect(handledIds).not.toContain(id);
    });

    it("cuts off 50 concurrent slowloris connections while a normal delivery is still served promptly", async () => {
      const slow = Array.from({ length: 50 }, () => trickle("", Buffer.concat([Buffer.from(`POST ${WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\n`), endlessHeaders])));
      await Promise.all(slow.map((client) => client.sent(3)));
      const meanwhile = await normalDelivery();
      expect(meanwhile.status).toBe(200);
      expect(slow.filter((client) => client.open())).toHaveLength(50);
      const results = await Promise.all(slow.map((client) => client.closed));
      for (const result of results) {
        expect(result.ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
        expect(result.received).toMatch(/^HTTP\/1\.1 408 /);
      }
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    });

    it("closes an idle connection that never sends a byte at headersTimeout", async () => {
      const result = await trickle("", Buffer.alloc(0)).closed;
      expect(result.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(result.ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    });
  });
});
