// A token endpoint answering 10 MB: the read stops at the cap with a typed TokenError, the webhook
// sender gets 503 verification_key_unavailable, and the rest of the answer is never read.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/oauth/index.js";
import { TokenError, TokenErrorCode } from "../../src/oauth/errors.js";
import { MAX_TOKEN_RESPONSE_BYTES } from "../../src/oauth/token-request.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startTestService } from "../support/service.js";

const HUGE_BYTES = 10 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20); // spaces: valid JSON whitespace, never a complete answer

/** What the token endpoint managed to send of one answer. */
interface Sent {
  bytes: number;
  /** The whole answer was handed to the kernel (`finish`), i.e. the client kept reading. */
  finished: boolean;
}

let server: Server;
let tokenEndpoint: string;
let declareLength = false;
const answers: Array<Promise<Sent>> = [];

/** Streams a 10 MB JSON answer, writing more only as the client reads (drain). */
function answerHuge(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const sent: Sent = { bytes: 0, finished: false };
  answers.push(new Promise((resolve) => res.on("close", () => resolve(sent))));
  res.on("finish", () => (sent.finished = true));
  res.writeHead(200, { "content-type": "application/json", ...(declareLength ? { "content-length": String(HUGE_BYTES) } : {}) });
  res.write("{");
  sent.bytes = 1;
  const pump = (): void => {
    while (sent.bytes < HUGE_BYTES && !res.destroyed) {
      const piece = CHUNK.subarray(0, Math.min(CHUNK.length, HUGE_BYTES - sent.bytes));
      sent.bytes += piece.length;
      if (sent.bytes === HUGE_BYTES) return void res.end(piece);
      if (!res.write(piece)) return void res.once("drain", pump);
    }
  };
  pump();
}

beforeAll(async () => {
  server = createServer(answerHuge);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const provider = () =>
  createTokenProvider({
    tokenEndpoint,
    clientId: "size-test-client",
    scopes: ["webhooks:verify"],
    auth: { method: "client_secret_basic", clientSecret: "size-test-client-secret" },
    maxRetries: 0,
  });

describe("a 10 MB token endpoint answer", () => {
  it.each([
    ["streamed without a length", false],
    ["with a declared Content-Length", true],
  ])("%s: fails with a typed TokenError, and is not read past the cap", async (_name, declared) => {
    declareLength = declared;
    const tokens = provider();
    try {
      const error = await tokens.getToken().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(TokenError);
      expect(error).toMatchObject({ code: TokenErrorCode.INVALID_TOKEN_RESPONSE, retryable: false });
      const sent = await answers.at(-1)!;
      expect(sent.finished).toBe(false); // the client stopped reading and closed the connection
      expect(sent.bytes).toBeLessThan(HUGE_BYTES);
    } finally {
      await tokens.close();
    }
    expect(MAX_TOKEN_RESPONSE_BYTES).toBe(64 * 1024);
  });

  it("gets the webhook sender 503 verification_key_unavailable", async () => {
    declareLength = false;
    const service = await startTestService({
      WEBHOOK_SECRET: undefined,
      WEBHOOK_KEY_URL: `${new URL(tokenEndpoint).origin}/v1/webhook-keys`,
      TOKEN_ENDPOINT: tokenEndpoint,
      CLIENT_ID: "size-test-client",
      CLIENT_SECRET: "size-test-client-secret",
    });
    try {
      const body = uniqueEvent();
      const response = await service.post(body, chatgptHeaders(body, "size-test-any-secret-0123456789"));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "verification_key_unavailable" });
      expect(service.logs.some((line) => line.code === TokenErrorCode.INVALID_TOKEN_RESPONSE || JSON.stringify(line).includes("invalid_token_response"))).toBe(true);
    } finally {
      await service.shutdown();
    }
  });
});
