// A 0-byte key would let anyone sign: the library refuses it everywhere, and sign() refuses timestamps verify() would refuse.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../../src/errors.js";
import { createWebhookReceiver as createReceiver } from "../../../src/receiver/create-receiver.js";
import { sign, verify } from "../../../src/signature/sign-and-verify.js";

const body = '{"id":"evt_1","type":"response.completed"}';
const T = 1_700_000_000;
const clock = { now: () => T * 1000 };
/** What an attacker computes with a 0-byte key. */
const emptyKeyHeaders = {
  "x-chatgpt-timestamp": String(T),
  "x-chatgpt-signature": `v1=${createHmac("sha256", Buffer.alloc(0)).update(`${T}.${body}`).digest("hex")}`,
};

const configError = (variable: string) => expect.objectContaining({ name: "ConfigError", variable }) as unknown as ConfigError;

describe("0-byte secrets", () => {
  it.each([
    ["chatgpt", ""],
    ["standard", ""],
    ["standard", "whsec_"],
  ] as const)("verify() in the %s scheme refuses the secret %j with a ConfigError instead of accepting forgeries", (scheme, secret) => {
    const headers = scheme === "chatgpt" ? emptyKeyHeaders : { "webhook-id": "msg_1", "webhook-timestamp": String(T), "webhook-signature": "v1,AAAA" };
    expect(() => verify(scheme, { body, headers, secret, clock })).toThrow(configError("secret"));
    expect(() => verify(scheme, { body, headers, secret: ["a-good-secret-0123456789", secret], clock })).toThrow(configError("secret"));
  });

  it.each([
    ["chatgpt", ""],
    ["standard", "whsec_"],
  ] as const)("sign() in the %s scheme refuses the secret %j", (scheme, secret) => {
    expect(() => sign(scheme, { body, secret, id: "msg_1", timestamp: T })).toThrow(configError("secret"));
  });

  it.each([[""], ["whsec_"], [["whsec_"]], [["a-good-secret-0123456789", ""]]])("createReceiver refuses the secret %j", (secret) => {
    expect(() => createReceiver({ scheme: "standard", secret })).toThrow(configError("secret"));
  });

  it("a key source serving a 0-byte key never gets a forgery accepted", async () => {
    const receiver = createReceiver({ keySource: { getKeys: () => [{ secret: "" }], readiness: () => ({ ready: true }) }, clock });
    const answer = await receiver.receive({ headers: emptyKeyHeaders, body: Buffer.from(body) });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    await receiver.close();
  });
});

describe("sign() timestamps", () => {
  it.each([1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])("refuses %s, which its own verify() would refuse", (timestamp) => {
    expect(() => sign("chatgpt", { body, secret: "a-good-secret-0123456789", timestamp })).toThrow(configError("timestamp"));
  });

  it("accepts 0 and a whole number of seconds, and verify() accepts what it signed", () => {
    expect(sign("chatgpt", { body, secret: "a-good-secret-0123456789", timestamp: 0 })["x-chatgpt-timestamp"]).toBe("0");
    const headers = sign("chatgpt", { body, secret: "a-good-secret-0123456789", timestamp: T });
    expect(verify("chatgpt", { body, headers, secret: "a-good-secret-0123456789", clock })).toMatchObject({ timestamp: T });
  });
});
