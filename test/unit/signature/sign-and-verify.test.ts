// The public one-call sign / verify, for both schemes, against independent signers.
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it, vi } from "vitest";
import type { Clock } from "../../../src/clock.js";
import { sign, verify } from "../../../src/signature/sign-and-verify.js";
import { chatgptHeaders, standardHeaders } from "../../support/independent-signers.js";

const T = 1_700_000_000;
const at = (seconds: number): Clock => ({ now: () => seconds * 1000 });
const clock = at(T);
const body = '{"id":"evt_1","type":"response.completed"}';
const PLAIN = "plain-secret-with-enough-bytes-42";
const KEY_BYTES = Buffer.alloc(32, 0x5c);
const WHSEC = `whsec_${KEY_BYTES.toString("base64")}`;
const code = (name: string): unknown => expect.objectContaining({ code: name });

describe("verify('chatgpt')", () => {
  it("verifies an independently signed delivery", () => {
    const result = verify("chatgpt", { body, headers: chatgptHeaders(body, PLAIN, T), secret: PLAIN, clock });
    expect(result.timestamp).toBe(T);
    expect(result.signedId).toBeUndefined();
  });

  it("verifies a Uint8Array body", () => {
    const bytes = new Uint8Array(Buffer.from(body));
    expect(verify("chatgpt", { body: bytes, headers: chatgptHeaders(body, PLAIN, T), secret: PLAIN, clock }).timestamp).toBe(T);
  });

  it("tries every secret of a list", () => {
    const headers = chatgptHeaders(body, PLAIN, T);
    expect(verify("chatgpt", { body, headers, secret: ["another-secret-0000000000", PLAIN], clock }).timestamp).toBe(T);
    expect(() => verify("chatgpt", { body, headers, secret: ["another-secret-0000000000"], clock })).toThrow(
      code("invalid_signature"),
    );
  });

  it("treats a whsec_ secret as its UTF-8 bytes", () => {
    const utf8 = chatgptHeaders(body, WHSEC, T);
    expect(verify("chatgpt", { body, headers: utf8, secret: WHSEC, clock }).timestamp).toBe(T);
    const decoded = createHmac("sha256", KEY_BYTES).update(`${T}.${body}`).digest("hex");
    const headers = { "x-chatgpt-timestamp": String(T), "x-chatgpt-signature": `v1=${decoded}` };
    expect(() => verify("chatgpt", { body, headers, secret: WHSEC, clock })).toThrow(code("invalid_signature"));
  });

  // Only the default's value here: the window's shape (inclusive, both directions) is timestamp.test.ts's.
  it("defaults the tolerance to 300 s", () => {
    const headers = chatgptHeaders(body, PLAIN, T);
    expect(verify("chatgpt", { body, headers, secret: PLAIN, clock: at(T + 300) }).timestamp).toBe(T);
    expect(() => verify("chatgpt", { body, headers, secret: PLAIN, clock: at(T + 301) })).toThrow(
      code("timestamp_out_of_tolerance"),
    );
  });

  it("honours a custom tolerance", () => {
    const headers = chatgptHeaders(body, PLAIN, T);
    expect(verify("chatgpt", { body, headers, secret: PLAIN, clock: at(T + 10), toleranceSeconds: 10 }).timestamp).toBe(T);
    expect(() => verify("chatgpt", { body, headers, secret: PLAIN, clock: at(T + 11), toleranceSeconds: 10 })).toThrow(
      code("timestamp_out_of_tolerance"),
    );
  });
});

describe("verify('standard')", () => {
  it("verifies a delivery signed by the standardwebhooks package with a whsec_ secret", () => {
    const result = verify("standard", { body, headers: standardHeaders(body, WHSEC, "msg_1", T), secret: WHSEC, clock });
    expect(result.signedId).toBe("msg_1");
    expect(result.timestamp).toBe(T);
  });

  it("decodes whsec_: the same key given as raw bytes to standardwebhooks verifies", () => {
    const signature = new Webhook(KEY_BYTES, { format: "raw" }).sign("msg_raw", new Date(T * 1000), body);
    const headers = { "webhook-id": "msg_raw", "webhook-timestamp": String(T), "webhook-signature": signature };
    expect(verify("standard", { body, headers, secret: WHSEC, clock }).signedId).toBe("msg_raw");
  });

  it("uses a non-whsec secret as UTF-8 bytes", () => {
    const digest = createHmac("sha256", Buffer.from(PLAIN, "utf8")).update(`msg_2.${T}.${body}`).digest("base64");
    const headers = { "webhook-id": "msg_2", "webhook-timestamp": String(T), "webhook-signature": `v1,${digest}` };
    expect(verify("standard", { body, headers, secret: PLAIN, clock }).signedId).toBe("msg_2");
  });

  it("refuses a wrong secret and a stale timestamp", () => {
    const headers = standardHeaders(body, WHSEC, "msg_1", T);
    expect(() => verify("standard", { body, headers, secret: `whsec_${Buffer.alloc(32, 1).toString("base64")}`, clock })).toThrow(
      code("invalid_signature"),
    );
    expect(() => verify("standard", { body, headers, secret: WHSEC, clock: at(T + 3600) })).toThrow(
      code("timestamp_out_of_tolerance"),
    );
  });

  it("does not accept a chatgpt-scheme delivery", () => {
    expect(() => verify("standard", { body, headers: chatgptHeaders(body, PLAIN, T), secret: PLAIN, clock })).toThrow(
      code("missing_header"),
    );
  });
});

describe("sign", () => {
  it("chatgpt: equals an independent HMAC of `${t}.${body}`", () => {
    expect(sign("chatgpt", { body, secret: PLAIN, timestamp: T })).toEqual(chatgptHeaders(body, PLAIN, T));
  });

  it("chatgpt: whsec_ secrets are signed as UTF-8 bytes", () => {
    expect(sign("chatgpt", { body, secret: WHSEC, timestamp: T })).toEqual(chatgptHeaders(body, WHSEC, T));
  });

  it("standard: equals the standardwebhooks package's signature", () => {
    expect(sign("standard", { body, secret: WHSEC, timestamp: T, id: "msg_9" })).toEqual(standardHeaders(body, WHSEC, "msg_9", T));
  });

  it("standard: the package verifies our signature (its clock pinned to ours)", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T * 1000 });
    try {
      const headers = sign("standard", { body, secret: WHSEC, timestamp: T, id: "msg_10" });
      expect(new Webhook(WHSEC).verify(body, headers)).toEqual(JSON.parse(body));
    } finally {
      vi.useRealTimers();
    }
  });

  it("round-trips through verify for both schemes", () => {
    expect(verify("chatgpt", { body, headers: sign("chatgpt", { body, secret: PLAIN, timestamp: T }), secret: PLAIN, clock }).timestamp).toBe(T);
    const headers = sign("standard", { body, secret: WHSEC, timestamp: T, id: "msg_11" });
    expect(verify("standard", { body, headers, secret: WHSEC, clock }).signedId).toBe("msg_11");
  });

  it("defaults the timestamp to the current second", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T * 1000 + 999 });
    try {
      expect(sign("chatgpt", { body, secret: PLAIN })["x-chatgpt-timestamp"]).toBe(String(T));
      expect(sign("standard", { body, secret: WHSEC, id: "msg_12" })["webhook-timestamp"]).toBe(String(T));
    } finally {
      vi.useRealTimers();
    }
  });
});
