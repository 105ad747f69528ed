// The package as a library, as the README shows it: createReceiver mounted in the user's own Express app.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "express-rate-limit";
import { ConfigError, createExpressServer, createReceiver, memoryCounter, type Receiver } from "../../src/index.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET } from "../support/service.js";

let receiver: Receiver;
let base: string;
let server: ReturnType<typeof createExpressServer>;
const seen: string[] = [];

beforeAll(async () => {
  receiver = createReceiver({ secret: TEST_SECRET });
  receiver.on("batch.completed", (event) => void seen.push(event.data.id));
  const app = express();
  app.use("/webhooks/chatgpt", receiver.router);
  app.use(express.json());
  app.post("/other", (req, res) => void res.json({ echoed: req.body as unknown }));
  server = createExpressServer(app).listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await receiver.close();
});

describe("createReceiver in an existing Express app", () => {
  it("verifies and dispatches through the mounted router, next to the app's own JSON routes", async () => {
    const body = uniqueEvent("batch.completed");
    const response = await fetch(`${base}/webhooks/chatgpt`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...chatgptHeaders(body, TEST_SECRET) },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed" });
    expect(seen).toHaveLength(1);
    const other = await fetch(`${base}/other`, { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
    expect(await other.json()).toEqual({ echoed: { a: 1 } });
  });

  it("refuses a forged delivery and answers 405 to other methods", async () => {
    const body = uniqueEvent("batch.completed");
    const forged = await fetch(`${base}/webhooks/chatgpt`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...chatgptHeaders(body, "not-the-secret-0123456789") },
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`${base}/webhooks/chatgpt`)).status).toBe(405);
  });

  it("runs the same pipeline without HTTP via receive()", async () => {
    const body = uniqueEvent("batch.completed");
    const result = await receiver.receive({ headers: chatgptHeaders(body, TEST_SECRET), body });
    expect(result).toMatchObject({ status: 200, outcome: "processed" });
  });

  it("throws ConfigError naming the option for bad options", () => {
    expect(() => createReceiver({ secret: "short" })).toThrow(ConfigError);
    expect(() => createReceiver({ secret: TEST_SECRET, toleranceSeconds: 0 })).toThrowError(expect.objectContaining({ variable: "toleranceSeconds" }) as Error);
    expect(() => createReceiver({ secret: TEST_SECRET, rateLimitStore: () => new MemoryStore(), rateLimitCounter: memoryCounter() })).toThrowError(
      expect.objectContaining({ variable: "rateLimitCounter" }) as Error,
    );
  });

  it.each([
    ["a memory counter of its own", { rateLimitCounter: memoryCounter({ maxClients: 10 }) }],
    ["an express-rate-limit store", { rateLimitStore: () => new MemoryStore() }],
  ])("limits requests with %s", async (_name, limits) => {
    const limited = createReceiver({ secret: TEST_SECRET, rateLimitPerMinute: 2, ...limits });
    const app = express();
    app.post("/hook", ...limited.middleware);
    const listening = app.listen(0, "127.0.0.1");
    await once(listening, "listening");
    const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/hook`;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const body = uniqueEvent("batch.completed");
      const headers = { "content-type": "application/json", ...chatgptHeaders(body, TEST_SECRET) };
      statuses.push((await fetch(url, { method: "POST", headers, body })).status);
    }
    listening.close();
    await limited.close();
    expect(statuses).toEqual([200, 200, 429]);
  });
});
