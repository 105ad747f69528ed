// The standard scheme: v1,<base64> signature parsing, webhook-id rules and signing.
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { DeliveryRejectedError } from "../../../src/errors.js";
import { parseStandardSignatures, standardScheme } from "../../../src/signature/standard-scheme.js";

const SIG_A = Buffer.alloc(32, 0xa5);
const SIG_B = Buffer.from(Array.from({ length: 32 }, (_, index) => index));
const b64 = (buffer: Buffer): string => buffer.toString("base64");
const malformed: unknown = expect.objectContaining({ code: "malformed_header" });
const missing: unknown = expect.objectContaining({ code: "missing_header" });

describe("parseStandardSignatures", () => {
  it("decodes one v1 entry to 32 bytes", () => {
    const parsed = parseStandardSignatures(`v1,${b64(SIG_A)}`);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]?.equals(SIG_A)).toBe(true);
  });

  it("accepts unpadded base64", () => {
    const unpadded = b64(SIG_B).replace(/=+$/, "");
    expect(unpadded).toHaveLength(43);
    expect(parseStandardSignatures(`v1,${unpadded}`)[0]?.equals(SIG_B)).toBe(true);
  });

  it("reads space-separated entries in order and skips other versions", () => {
    const parsed = parseStandardSignatures(`v1a,${b64(SIG_B)} v1,${b64(SIG_A)} v2,${b64(SIG_A)} v1,${b64(SIG_B)}`);
    expect(parsed.map(b64)).toEqual([b64(SIG_A), b64(SIG_B)]);
  });

  it("skips malformed v1 entries when another is well-formed", () => {
    const parsed = parseStandardSignatures(`v1,short v1,${b64(SIG_A)}!! v1,${b64(SIG_A)}`);
    expect(parsed.map(b64)).toEqual([b64(SIG_A)]);
  });

  it.each([
    "",
    " ",
    "v1,",
    `v1a,${b64(SIG_A)}`,
    `v2,${b64(SIG_A)}`,
    `V1,${b64(SIG_A)}`,
    `v1=${b64(SIG_A)}`,
    `v1, ${b64(SIG_A)}`,
    `v1,${Buffer.alloc(31).toString("base64")}`,
    `v1,${Buffer.alloc(33).toString("base64")}`,
    `v1,${"-".repeat(43)}=`,
    `v1,${SIG_A.toString("hex")}`,
    `v1,${b64(SIG_A)},v1,${b64(SIG_B)}`,
  ])("refuses %j (no well-formed v1 entry) as malformed_header", (value) => {
    expect(() => parseStandardSignatures(value)).toThrow(DeliveryRejectedError);
    expect(() => parseStandardSignatures(value)).toThrow(malformed);
  });

  it("accepts 10 entries and refuses 11", () => {
    const ten = Array.from({ length: 10 }, () => `v1,${b64(SIG_A)}`).join(" ");
    expect(parseStandardSignatures(ten)).toHaveLength(10);
    expect(() => parseStandardSignatures(`${ten} v1,${b64(SIG_B)}`)).toThrow(malformed);
  });

  it("counts skipped and empty entries toward the bound", () => {
    expect(() => parseStandardSignatures(`${"v1a,x ".repeat(10)}v1,${b64(SIG_A)}`)).toThrow(malformed);
    expect(() => parseStandardSignatures(`${" ".repeat(10)}v1,${b64(SIG_A)}`)).toThrow(malformed);
    expect(parseStandardSignatures(`${"v1a,x ".repeat(9)}v1,${b64(SIG_A)}`).map(b64)).toEqual([b64(SIG_A)]);
  });
});

describe("standardScheme.parse", () => {
  const headers = (id: string | undefined, timestamp = "1700000000"): Record<string, string> => ({
    ...(id !== undefined && { "webhook-id": id }),
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${b64(SIG_A)}`,
  });

  it("returns the signed id, the prefix `${id}.${t}.` and the signatures", () => {
    const parsed = standardScheme.parse(headers("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"));
    expect(parsed.timestamp).toBe(1_700_000_000);
    expect(parsed.signedId).toBe("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
    expect(parsed.correlationId).toBe("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
    expect(parsed.prefix).toBe("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1700000000.");
    expect(parsed.signatures.map(b64)).toEqual([b64(SIG_A)]);
  });

  it.each(["a", "!", "~", "x".repeat(256), "msg.with.dots", "evt_{}[]<>"])("accepts webhook-id %j", (id) => {
    expect(standardScheme.parse(headers(id)).signedId).toBe(id);
  });

  it.each(["x".repeat(257), "msg 1", "msg\t1", "msg\u00e91", "msg\u007f", "msg\u0000", "\u00a0msg"])(
    "refuses webhook-id %j as malformed_header",
    (id) => {
      expect(() => standardScheme.parse(headers(id))).toThrow(malformed);
    },
  );

  it("refuses an absent or empty webhook-id as missing_header", () => {
    expect(() => standardScheme.parse(headers(undefined))).toThrow(missing);
    expect(() => standardScheme.parse(headers(""))).toThrow(missing);
  });

  it("refuses a missing timestamp or signature as missing_header", () => {
    expect(() => standardScheme.parse({ "webhook-id": "msg_1", "webhook-signature": `v1,${b64(SIG_A)}` })).toThrow(missing);
    expect(() => standardScheme.parse({ "webhook-id": "msg_1", "webhook-timestamp": "1" })).toThrow(missing);
  });

  it("refuses a malformed timestamp as malformed_header", () => {
    expect(() => standardScheme.parse(headers("msg_1", "1700000000.0"))).toThrow(malformed);
    expect(() => standardScheme.parse(headers("msg_1", "-1"))).toThrow(malformed);
  });

  it("reads headers case-insensitively", () => {
    const parsed = standardScheme.parse({
      "Webhook-Id": "msg_1",
      "Webhook-Timestamp": "1700000000",
      "Webhook-Signature": `v1,${b64(SIG_A)}`,
    });
    expect(parsed.signedId).toBe("msg_1");
  });
});

describe("standardScheme.sign", () => {
  const body = '{"id":"evt_1","type":"batch.completed"}';
  const whsec = `whsec_${Buffer.alloc(24, 3).toString("base64")}`;

  it("produces what the standardwebhooks package produces for a whsec_ secret", () => {
    const headers = standardScheme.sign({ body, secret: whsec, timestamp: 1_700_000_000, id: "msg_1" });
    const expected = new Webhook(whsec).sign("msg_1", new Date(1_700_000_000 * 1000), body);
    expect(headers).toEqual({ "webhook-id": "msg_1", "webhook-timestamp": "1700000000", "webhook-signature": expected });
  });

  it("uses a non-whsec secret as UTF-8 bytes", () => {
    const secret = "plain-standard-secret-0123456789";
    const headers = standardScheme.sign({ body, secret, timestamp: 42, id: "msg_2" });
    const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(`msg_2.42.${body}`).digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
  });

  it("requires an id", () => {
    expect(() => standardScheme.sign({ body, secret: whsec, timestamp: 42 })).toThrow(TypeError);
  });

  it("is named standard and decodes whsec_", () => {
    expect(standardScheme.name).toBe("standard");
    expect(standardScheme.decodesWhsec).toBe(true);
  });
});
