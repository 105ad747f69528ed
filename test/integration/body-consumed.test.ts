// A body parser mounted before the receiver leaves nothing to verify: a 500 that says so in the log, never a verdict on an empty body.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express from "express";
import pino from "pino";
import { expect, it } from "vitest";
import { createReceiver } from "../../src/index.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";

it("answers 500 internal_error and logs that the body was read before the webhook route", async () => {
  const lines: string[] = [];
  const secret = "consumed-body-secret-0123456789";
  const receiver = createReceiver({ secret, logger: pino({ level: "info" }, { write: (line: string) => void lines.push(line) }) });
  let runs = 0;
  receiver.on("*", () => void runs++);
  const app = express();
  app.use(express.json()); // the mistake: a global parser before the receiver
  app.use("/hook", receiver.router);
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const body = uniqueEvent();
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...chatgptHeaders(body, secret) },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: "internal_error" });
    expect(runs).toBe(0);
    expect(lines.some((line) => line.includes("mount the receiver before any body parser"))).toBe(true);
  } finally {
    server.close();
    await receiver.close();
  }
});
