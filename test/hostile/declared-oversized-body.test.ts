// A declared Content-Length over WEBHOOK_MAX_BODY_BYTES: 413 at once, before any body byte is read,
// and the connection closed, so neither a silent client nor one that keeps uploading holds it.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, WEBHOOK_PATH, type TestService } from "../support/service.js";

/** Far beyond what the server would wait for: the answer must not depend on the request timeout. */
const GIVE_UP_MS = 5_000;

let service: TestService;
let port: number;

beforeAll(async () => {
  service = await startTestService({ WEBHOOK_MAX_BODY_BYTES: "1024" });
  port = Number(new URL(service.url).port);
});
afterAll(() => service.shutdown());

const head = (length: string): string =>
  [`POST ${WEBHOOK_PATH} HTTP/1.1`, "Host: 127.0.0.1", "Content-Type: application/json", `Content-Length: ${length}`, "", ""].join("\r\n");

interface Exchange {
  readonly socket: Socket;
  /** Resolves with what the server wrote once it closed the connection (or after GIVE_UP_MS). */
  readonly closed: Promise<{ received: string; closedByServer: boolean }>;
}

/** Connects and sends `request`; `closed` settles on the server's close (or gives up). */
async function exchange(request: string): Promise<Exchange> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.on("data", (chunk: Buffer) => void (received += chunk.toString("latin1")));
  socket.on("error", () => undefined); // EPIPE / ECONNRESET while uploading: the server closed
  const closed = new Promise<{ received: string; closedByServer: boolean }>((resolve) => {
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedByServer: false });
    }, GIVE_UP_MS);
    socket.on("close", () => {
      clearTimeout(giveUp);
      resolve({ received, closedByServer: true });
    });
  });
  socket.write(request);
  return { socket, closed };
}

describe("a declared body over the limit", () => {
  it("gets 413 payload_too_large with Connection: close at once when only the headers were sent", async () => {
    const { closed } = await exchange(head("100000000000"));
    const { received, closedByServer } = await closed;
    expect(closedByServer).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
    expect(JSON.parse(received.slice(received.indexOf("\r\n\r\n") + 4))).toMatchObject({ error: "payload_too_large" });
  });

  it("closes the connection of a client that keeps uploading, without reading its body", async () => {
    const { socket, closed } = await exchange(head("100000000000"));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const upload = (): void => {
      while (!socket.destroyed && socket.write(chunk)) sent += chunk.length;
    };
    socket.on("drain", upload);
    upload();
    const { received, closedByServer } = await closed;
    expect(closedByServer).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(sent).toBeLessThan(100_000_000_000);
  });

  it("a chunked upload (no declared length) that keeps going past the limit gets 413 and its connection closed", async () => {
    const chunkedHead = [`POST ${WEBHOOK_PATH} HTTP/1.1`, "Host: 127.0.0.1", "Content-Type: application/json", "Transfer-Encoding: chunked", "", ""].join("\r\n");
    const { socket, closed } = await exchange(chunkedHead);
    const piece = Buffer.alloc(512, 0x61);
    const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
    let sent = 0;
    const upload = (): void => {
      while (!socket.destroyed && sent < 50_000_000 && socket.write(chunk)) sent += piece.length;
    };
    socket.on("drain", upload);
    upload();
    const { received, closedByServer } = await closed;
    expect(closedByServer).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
  });

  it("still reads a body within the limit", async () => {
    const response = await service.post(JSON.stringify({ id: "evt_1", type: "x" }), {});
    expect(response.status).toBe(400); // unsigned: refused by the signature checks, not by size
  });
});
