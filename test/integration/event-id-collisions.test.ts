// Event ids that a UTF-8 store would merge (lone surrogates) or that are out of bounds are refused, never deduped together.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvent } from "../../src/pipeline/parse-event.js";
import { chatgptHeaders, standardHeaders } from "../support/independent-signers.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { LOCAL_REDIS_URL, deleteKeys } from "../replay/redis-test-support.js";

const PREFIX = `cwr-test:${randomUUID()}:`;
const WHSEC = `whsec_${Buffer.from("event-id-test-key-0123456789abcd").toString("base64")}`;
let service: TestService;
let runs: string[] = [];

beforeAll(async () => {
  service = await startTestService(
    { REPLAY_STORE: LOCAL_REDIS_URL, REDIS_KEY_PREFIX: PREFIX },
    { register: (receiver) => receiver.on("*", (event) => void runs.push(event.id)) },
  );
});
afterAll(async () => {
  await service.shutdown();
  await deleteKeys(LOCAL_REDIS_URL, PREFIX);
});

/** The body as a sender writes it: JSON text whose id holds escapes (`\\ud800` stays an escape). */
const bodyWithId = (idJson: string): Buffer => Buffer.from(`{"id":"${idJson}","type":"response.completed","data":{}}`);

describe("body ids with lone surrogates (one Redis key once UTF-8 encoded)", () => {
  it("are refused with 400 invalid_payload, and neither is handled or answered duplicate", async () => {
    runs = [];
    const suffix = randomUUID().slice(0, 8);
    for (const escape of ["\\ud800", "\\udbff", "\\udc00"]) {
      const body = bodyWithId(`evt_${suffix}${escape}`);
      const response = await service.post(body, chatgptHeaders(body, TEST_SECRET));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_payload" });
    }
    expect(runs).toEqual([]);
  });

  it("are refused while a well-formed astral character (a surrogate pair) is an id like any other", async () => {
    runs = [];
    const suffix = randomUUID().slice(0, 8);
    const first = bodyWithId(`evt_${suffix}\\ud83d\\ude00`); // U+1F600
    const second = bodyWithId(`evt_${suffix}\\ud83d\\ude01`); // U+1F601: must not collide with the first
    for (const body of [first, second]) {
      const response = await service.post(body, chatgptHeaders(body, TEST_SECRET));
      expect(await response.json()).toMatchObject({ status: "processed" });
    }
    expect(runs).toHaveLength(2);
  });
});

describe("id length", () => {
  it.each([
    [1, 200],
    [256, 200],
    [257, 400],
  ])("a body id of %i characters is answered %i", async (length, status) => {
    const id = `e${randomUUID().replaceAll("-", "")}`.padEnd(length, "x").slice(0, length);
    const body = bodyWithId(id);
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(status);
  });

  it("an empty body id is invalid_payload", () => {
    expect(() => parseEvent(bodyWithId(""))).toThrow(expect.objectContaining({ code: "invalid_payload" }));
  });

  it.each([
    [256, 200],
    [257, 400],
  ])("a webhook-id of %i characters is answered %i (standard scheme)", async (length, status) => {
    const standard = await startTestService({ WEBHOOK_SCHEME: "standard", WEBHOOK_SECRET: WHSEC });
    try {
      const body = bodyWithId(`evt_${randomUUID()}`);
      const id = `msg_${randomUUID()}`.padEnd(length, "x");
      const response = await standard.post(body, standardHeaders(body, WHSEC, id));
      expect(response.status).toBe(status);
      if (status === 400) expect(await response.json()).toMatchObject({ error: "malformed_header" });
    } finally {
      await standard.shutdown();
    }
  });
});
