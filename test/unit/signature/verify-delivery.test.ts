// verifyDelivery on a fake clock: every key x every signature, the entry bound, tampering, freshness.
import { createHmac, createSecretKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/clock.js";
import { DeliveryRejectedError } from "../../../src/errors.js";
import type { PreparedKey } from "../../../src/signature/hmac-key.js";
import type { SignatureScheme } from "../../../src/signature/scheme.js";
import { chatgptScheme } from "../../../src/signature/chatgpt-scheme.js";
import { standardScheme } from "../../../src/signature/standard-scheme.js";
import { verifyDelivery } from "../../../src/signature/verify-delivery.js";
import { chatgptHeaders, standardHeaders } from "../../support/independent-signers.js";

const T = 1_700_000_000;
const clock: Clock = { now: () => T * 1000 };
const OLD_SECRET = "old-secret-for-rotation-000000";
const NEW_SECRET = "new-secret-for-rotation-111111";
const WHSEC = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
const body = Buffer.from('{"id":"evt_abc","type":"response.completed","data":{"id":"resp_1"}}');

const key = (bytes: Buffer | string, id?: string): PreparedKey => ({
  id,
  key: createSecretKey(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes),
});
const chatgptDigest = (secret: string, timestamp: number, payload: Buffer): string =>
  createHmac("sha256", Buffer.from(secret, "utf8")).update(`${timestamp}.`).update(payload).digest("hex");

function run(
  scheme: SignatureScheme,
  headers: Record<string, string>,
  keys: readonly PreparedKey[],
  payload: Buffer = body,
  nowMs = clock.now(),
): ReturnType<typeof verifyDelivery> {
  return verifyDelivery({ scheme, headers, body: payload, keys, nowMs, toleranceSeconds: 300 });
}

const code = (name: string): unknown => expect.objectContaining({ code: name });

/**
 * Verifies every single-byte change of `payload` (each position XORed with each of the 255
 * non-zero masks) and tallies what happened: "verified" or the rejection's code.
 */
function outcomesOfEveryByteChange(verifyBody: (changed: Buffer) => unknown, payload: Buffer): Record<string, number> {
  const tally: Record<string, number> = {};
  for (let index = 0; index < payload.length; index++) {
    for (let mask = 1; mask <= 0xff; mask++) {
      const changed = Buffer.from(payload);
      changed[index] = (changed[index] ?? 0) ^ mask;
      let outcome = "verified";
      try {
        verifyBody(changed);
      } catch (error) {
        outcome = error instanceof DeliveryRejectedError ? error.code : String(error);
      }
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
  }
  return tally;
}

describe("verifyDelivery (chatgpt)", () => {
  it("verifies a delivery signed independently", () => {
    const headers = { ...chatgptHeaders(body, NEW_SECRET, T), "x-chatgpt-event-id": "evt_hdr" };
    expect(run(chatgptScheme, headers, [key(NEW_SECRET, "k-new")])).toEqual({
      timestamp: T,
      signedId: undefined,
      correlationId: "evt_hdr",
      keyId: "k-new",
    });
  });

  it("tries every key: the second (rotated) key matches", () => {
    const result = run(chatgptScheme, chatgptHeaders(body, NEW_SECRET, T), [key(OLD_SECRET, "k-old"), key(NEW_SECRET, "k-new")]);
    expect(result.keyId).toBe("k-new");
  });

  // How many entries a header may hold (10, not 11) is the parser's: chatgpt-scheme.test.ts.
  it("tries every signature: a match in the last of 10 entries verifies", () => {
    const filler = Array.from({ length: 9 }, (_, i) => `v1=${chatgptDigest(`${OLD_SECRET}-${i}`, T, body)}`);
    const headers = { "x-chatgpt-timestamp": String(T), "x-chatgpt-signature": [...filler, `v1=${chatgptDigest(NEW_SECRET, T, body)}`].join(", ") };
    expect(run(chatgptScheme, headers, [key(NEW_SECRET, "k")]).keyId).toBe("k");
  });

  it("tries every key x every signature: second key matches the second entry", () => {
    const headers = {
      "x-chatgpt-timestamp": String(T),
      "x-chatgpt-signature": `v1=${"0".repeat(64)},v1=${chatgptDigest(NEW_SECRET, T, body)}`,
    };
    const keys = [key(OLD_SECRET, "k-old"), key("unrelated-secret-xxxxxxxxxx", "k-x"), key(NEW_SECRET, "k-new")];
    expect(run(chatgptScheme, headers, keys).keyId).toBe("k-new");
  });

  it("refuses a wrong key as invalid_signature", () => {
    expect(() => run(chatgptScheme, chatgptHeaders(body, OLD_SECRET, T), [key(NEW_SECRET)])).toThrow(DeliveryRejectedError);
    expect(() => run(chatgptScheme, chatgptHeaders(body, OLD_SECRET, T), [key(NEW_SECRET)])).toThrow(code("invalid_signature"));
  });

  it("refuses when there are no keys at all", () => {
    expect(() => run(chatgptScheme, chatgptHeaders(body, NEW_SECRET, T), [])).toThrow(code("invalid_signature"));
  });

  // The one test of a changed body byte for this scheme; end to end it is the hostile corpus's "one body bit flipped".
  it("never verifies with any single byte of the body changed (every position, every other value)", () => {
    const headers = chatgptHeaders(body, NEW_SECRET, T);
    const keys = [key(NEW_SECRET)];
    expect(run(chatgptScheme, headers, keys).timestamp).toBe(T);
    expect(outcomesOfEveryByteChange((changed) => run(chatgptScheme, headers, keys, changed), body)).toEqual({ invalid_signature: body.length * 255 });
  });

  it("never verifies with the body truncated or extended", () => {
    const headers = chatgptHeaders(body, NEW_SECRET, T);
    expect(() => run(chatgptScheme, headers, [key(NEW_SECRET)], body.subarray(0, body.length - 1))).toThrow(code("invalid_signature"));
    expect(() => run(chatgptScheme, headers, [key(NEW_SECRET)], Buffer.concat([body, Buffer.from(" ")]))).toThrow(
      code("invalid_signature"),
    );
  });

  it("never verifies with any digit of the timestamp changed", () => {
    const headers = chatgptHeaders(body, NEW_SECRET, T);
    const text = String(T);
    for (let index = 0; index < text.length; index++) {
      const digit = Number(text[index]);
      const changed = `${text.slice(0, index)}${(digit + 1) % 10}${text.slice(index + 1)}`;
      expect(() => run(chatgptScheme, { ...headers, "x-chatgpt-timestamp": changed }, [key(NEW_SECRET)])).toThrow(
        DeliveryRejectedError,
      );
    }
    // Within the window, a re-dated delivery fails on the signature rather than on freshness.
    expect(() => run(chatgptScheme, { ...headers, "x-chatgpt-timestamp": String(T + 1) }, [key(NEW_SECRET)])).toThrow(
      code("invalid_signature"),
    );
  });

  // The window itself (inclusive, both directions) is assertFresh's, tested in timestamp.test.ts.
  it("reports staleness before the signature (no key needed)", () => {
    const forged = { "x-chatgpt-timestamp": String(T - 1000), "x-chatgpt-signature": `v1=${"0".repeat(64)}` };
    expect(() => run(chatgptScheme, forged, [])).toThrow(code("timestamp_out_of_tolerance"));
  });

  it("refuses missing headers as missing_header", () => {
    expect(() => run(chatgptScheme, {}, [key(NEW_SECRET)])).toThrow(code("missing_header"));
  });
});

describe("verifyDelivery (standard)", () => {
  const whsecKey = (id?: string): PreparedKey => key(Buffer.from(WHSEC.slice("whsec_".length), "base64"), id);

  it("verifies a delivery signed by the standardwebhooks package", () => {
    const result = run(standardScheme, standardHeaders(body, WHSEC, "msg_1", T), [whsecKey("kid")]);
    expect(result).toEqual({ timestamp: T, signedId: "msg_1", correlationId: "msg_1", keyId: "kid" });
  });

  // How many entries a header may hold (10, not 11) is the parser's: standard-scheme.test.ts.
  it("tries every key and every signature: the second key matches the last of 10 entries", () => {
    const real = standardHeaders(body, WHSEC, "msg_1", T);
    const others = Array.from({ length: 9 }, (_, i) => standardHeaders(body, `whsec_${Buffer.alloc(32, 0x10 + i).toString("base64")}`, "msg_1", T));
    const headers = { ...real, "webhook-signature": [...others.map((other) => other["webhook-signature"]), real["webhook-signature"]].join(" ") };
    expect(run(standardScheme, headers, [key(OLD_SECRET, "old"), whsecKey("new")]).keyId).toBe("new");
  });

  it("signs the webhook-id: a swapped id never verifies", () => {
    const headers = { ...standardHeaders(body, WHSEC, "msg_1", T), "webhook-id": "msg_2" };
    expect(() => run(standardScheme, headers, [whsecKey()])).toThrow(code("invalid_signature"));
  });

  it("refuses the undecoded whsec_ text as key (wrong key)", () => {
    expect(() => run(standardScheme, standardHeaders(body, WHSEC, "msg_1", T), [key(WHSEC)])).toThrow(code("invalid_signature"));
  });

  // The one test of a changed body byte for this scheme; end to end the adapter suite sends a tampered standard body.
  it("never verifies with any single byte of the body changed (every position, every other value)", () => {
    const headers = standardHeaders(body, WHSEC, "msg_1", T);
    const keys = [whsecKey()];
    expect(run(standardScheme, headers, keys).signedId).toBe("msg_1");
    expect(outcomesOfEveryByteChange((changed) => run(standardScheme, headers, keys, changed), body)).toEqual({ invalid_signature: body.length * 255 });
  });
});
