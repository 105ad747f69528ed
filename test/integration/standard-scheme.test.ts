// The standard scheme end to end, and interop both ways with the standardwebhooks package.
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign, verify } from "../../src/index.js";
import { standardHeaders } from "../support/independent-signers.js";
import { loadFixtures, uniqueEvent } from "../support/fixtures.js";
import { startTestService, type TestService } from "../support/service.js";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const handled: string[] = [];
let service: TestService;

beforeAll(async () => {
  service = await startTestService({ WEBHOOK_SCHEME: "standard", WEBHOOK_SECRET: SECRET }, {
    register: (receiver) => receiver.on("*", (event) => void handled.push(event.id)),
  });
});
afterAll(() => service.shutdown());

describe("standard scheme over HTTP", () => {
  it.each(loadFixtures())("accepts $file signed by the standardwebhooks package", async (fixture) => {
    const msgId = `msg_${randomBytes(8).toString("hex")}`;
    const response = await service.post(fixture.body, standardHeaders(fixture.body, SECRET, msgId));
    expect(await response.json()).toEqual({ status: "processed", id: fixture.id });
  });

  it("dedupes on the signed webhook-id, even when re-signed with a new timestamp", async () => {
    const body = uniqueEvent();
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    const first = await service.post(body, standardHeaders(body, SECRET, "msg_dedupe_1", Math.floor(Date.now() / 1000) - 5));
    expect(first.status).toBe(200);
    const again = await service.post(body, standardHeaders(body, SECRET, "msg_dedupe_1"));
    expect(await again.json()).toEqual({ status: "duplicate", id });
    expect(handled.filter((entry) => entry === id)).toHaveLength(1);
  });

  it("refuses a signature over a different webhook-id (the id is signed)", async () => {
    const body = uniqueEvent();
    const headers = { ...standardHeaders(body, SECRET, "msg_original"), "webhook-id": "msg_swapped" };
    const response = await service.post(body, headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_signature" });
  });

  it("skips other signature versions and accepts a valid v1 among several entries", async () => {
    const body = uniqueEvent();
    const headers = standardHeaders(body, SECRET, "msg_versions");
    headers["webhook-signature"] = `v1a,${"A".repeat(86)} v1,${Buffer.alloc(32).toString("base64")} ${headers["webhook-signature"]}`;
    expect((await service.post(body, headers)).status).toBe(200);
  });

  it("refuses a missing webhook-id with 400 missing_header", async () => {
    const body = uniqueEvent();
    const headers: Record<string, string> = standardHeaders(body, SECRET, "msg_missing");
    delete headers["webhook-id"];
    const response = await service.post(body, headers);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "missing_header" });
  });
});

describe("interop with the openai package", () => {
  const openai = new OpenAI({ apiKey: "sk-test-not-used", webhookSecret: SECRET });

  it.each(loadFixtures())("openai's webhooks.unwrap accepts $file signed by our signer", async (fixture) => {
    const body = fixture.body.toString("utf8");
    const headers = sign("standard", { body, secret: SECRET, id: `msg_${randomBytes(8).toString("hex")}` });
    const event = await openai.webhooks.unwrap(body, headers);
    expect({ id: event.id, type: event.type }).toEqual({ id: fixture.id, type: fixture.type });
  });

  it("openai's verifySignature rejects our signature over a different body", async () => {
    const headers = sign("standard", { body: '{"id":"evt_1","type":"batch.completed"}', secret: SECRET, id: "msg_x" });
    await expect(openai.webhooks.verifySignature('{"id":"evt_2","type":"batch.completed"}', headers)).rejects.toThrow();
  });
});

describe("interop with standardwebhooks", () => {
  it("our signer's headers pass standardwebhooks' verify", () => {
    const body = uniqueEvent().toString();
    const headers = sign("standard", { body, secret: SECRET, id: "msg_ours_1" });
    expect(new Webhook(SECRET).verify(body, headers)).toMatchObject({ type: "response.completed" });
  });

  // A changed body byte is test/unit/signature/verify-delivery.test.ts's (every position, every value).
  it("standardwebhooks' signature passes our pure verify on the system clock (no clock given)", () => {
    const body = uniqueEvent().toString();
    const headers = standardHeaders(body, SECRET, "msg_theirs_1");
    expect(verify("standard", { body, headers, secret: SECRET }).signedId).toBe("msg_theirs_1");
  });
});
