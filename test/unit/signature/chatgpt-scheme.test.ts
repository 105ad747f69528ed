// The chatgpt scheme: v1=<hex> signature parsing, header parsing and signing.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DeliveryRejectedError } from "../../../src/errors.js";
import { chatgptScheme, parseChatgptSignatures } from "../../../src/signature/chatgpt-scheme.js";

const HEX_A = "a".repeat(64);
const HEX_B = "0123456789abcdef".repeat(4);
const malformed: unknown = expect.objectContaining({ code: "malformed_header" });
const missing: unknown = expect.objectContaining({ code: "missing_header" });

describe("parseChatgptSignatures", () => {
  it("decodes one v1 entry to 32 bytes", () => {
    const [signature, ...rest] = parseChatgptSignatures(`v1=${HEX_B}`);
    expect(rest).toHaveLength(0);
    expect(signature?.equals(Buffer.from(HEX_B, "hex"))).toBe(true);
    expect(signature).toHaveLength(32);
  });

  it("accepts upper-case hex", () => {
    const [signature] = parseChatgptSignatures(`v1=${HEX_B.toUpperCase()}`);
    expect(signature?.equals(Buffer.from(HEX_B, "hex"))).toBe(true);
  });

  it("reads comma-separated entries with spaces around the commas, in order", () => {
    const parsed = parseChatgptSignatures(`v1=${HEX_A} ,  v1=${HEX_B}`);
    expect(parsed.map((buffer) => buffer.toString("hex"))).toEqual([HEX_A, HEX_B]);
  });

  it("counts a bare 64-hex value as one v1 entry", () => {
    expect(parseChatgptSignatures(HEX_B).map((buffer) => buffer.toString("hex"))).toEqual([HEX_B]);
    expect(parseChatgptSignatures(`${HEX_A},v1=${HEX_B}`)).toHaveLength(2);
  });

  it("skips other and broken entries", () => {
    const parsed = parseChatgptSignatures(`v0=${HEX_A},v2=${HEX_A},t=123,v1=${HEX_A.slice(1)},v1=${HEX_B},v1=`);
    expect(parsed.map((buffer) => buffer.toString("hex"))).toEqual([HEX_B]);
  });

  it.each([
    "",
    " ",
    ",,,",
    `v1=${HEX_A.slice(2)}`,
    `v1=${HEX_A}00`,
    `v1=${"g".repeat(64)}`,
    // One entry of the exact length with a single non-hex digit: first, middle, last.
    `v1=g${HEX_A.slice(1)}`,
    `v1=${HEX_A.slice(0, 31)}x${HEX_A.slice(32)}`,
    `v1=${HEX_A.slice(0, 63)}z`,
    `v1=${HEX_A.slice(0, 63)} `,
    // A character wider than a byte whose low byte is a hex digit ("\u0130" ends in 0x30, "0").
    `v1=\u0130${HEX_A.slice(1)}`,
    `v2=${HEX_A}`,
    `V1=${HEX_A}`,
    `v1 = ${HEX_A}`,
    `v1=${HEX_A.slice(0, 32)} ${HEX_A.slice(32)}`,
    Buffer.from(HEX_A, "hex").toString("base64"),
  ])("refuses %j (no well-formed entry) as malformed_header", (value) => {
    expect(() => parseChatgptSignatures(value)).toThrow(DeliveryRejectedError);
    expect(() => parseChatgptSignatures(value)).toThrow(malformed);
  });

  it("accepts 10 entries and refuses 11", () => {
    const ten = Array.from({ length: 10 }, () => `v1=${HEX_A}`).join(",");
    expect(parseChatgptSignatures(ten)).toHaveLength(10);
    expect(() => parseChatgptSignatures(`${ten},v1=${HEX_B}`)).toThrow(malformed);
  });

  it("counts skipped and empty entries toward the bound", () => {
    expect(() => parseChatgptSignatures(`${",".repeat(10)}v1=${HEX_A}`)).toThrow(malformed);
    expect(() => parseChatgptSignatures(`${"v0=x,".repeat(10)}v1=${HEX_A}`)).toThrow(malformed);
    expect(parseChatgptSignatures(`${"v0=x,".repeat(9)}v1=${HEX_A}`).map((buffer) => buffer.toString("hex"))).toEqual([HEX_A]);
  });
});

describe("chatgptScheme.parse", () => {
  it("returns the timestamp, signatures, signed prefix and the unsigned correlation id", () => {
    const parsed = chatgptScheme.parse({
      "x-chatgpt-timestamp": "1700000000",
      "x-chatgpt-signature": `v1=${HEX_A}`,
      "x-chatgpt-event-id": "evt_123",
    });
    expect(parsed.timestamp).toBe(1_700_000_000);
    expect(parsed.prefix).toBe("1700000000.");
    expect(parsed.signedId).toBeUndefined();
    expect(parsed.correlationId).toBe("evt_123");
    expect(parsed.signatures.map((buffer) => buffer.toString("hex"))).toEqual([HEX_A]);
  });

  it("signs the timestamp text as received (leading zeros included)", () => {
    const parsed = chatgptScheme.parse({ "x-chatgpt-timestamp": "01700000000", "x-chatgpt-signature": HEX_A });
    expect(parsed.timestamp).toBe(1_700_000_000);
    expect(parsed.prefix).toBe("01700000000.");
  });

  it("has no correlation id when x-chatgpt-event-id is absent", () => {
    const parsed = chatgptScheme.parse({ "x-chatgpt-timestamp": "1", "x-chatgpt-signature": HEX_A });
    expect(parsed.correlationId).toBeUndefined();
  });

  it.each([
    [{ "x-chatgpt-signature": `v1=${HEX_A}` }],
    [{ "x-chatgpt-timestamp": "1700000000" }],
    [{ "x-chatgpt-timestamp": "", "x-chatgpt-signature": `v1=${HEX_A}` }],
    [{ "x-chatgpt-timestamp": "1700000000", "x-chatgpt-signature": "" }],
    [{}],
  ])("refuses missing or empty headers %j as missing_header", (headers) => {
    expect(() => chatgptScheme.parse(headers)).toThrow(missing);
  });

  it("refuses a malformed timestamp or signature as malformed_header", () => {
    expect(() => chatgptScheme.parse({ "x-chatgpt-timestamp": "1.5", "x-chatgpt-signature": HEX_A })).toThrow(malformed);
    expect(() => chatgptScheme.parse({ "x-chatgpt-timestamp": "1700000000", "x-chatgpt-signature": "v1=zz" })).toThrow(
      malformed,
    );
  });

  it("refuses a repeated timestamp header as malformed_header", () => {
    expect(() =>
      chatgptScheme.parse({ "x-chatgpt-timestamp": ["1700000000", "1700000001"], "x-chatgpt-signature": HEX_A }),
    ).toThrow(malformed);
  });

  it("reads every signature of a repeated signature header", () => {
    const parsed = chatgptScheme.parse({
      "x-chatgpt-timestamp": "1700000000",
      "x-chatgpt-signature": [`v1=${HEX_A}`, `v1=${HEX_B}`],
    });
    expect(parsed.signatures).toHaveLength(2);
  });
});

describe("chatgptScheme.sign", () => {
  const secret = "a-plain-test-secret-0123456789";
  const body = '{"id":"evt_1","type":"response.completed"}';

  it("signs `${t}.${body}` with the secret's UTF-8 bytes, as hex v1", () => {
    const headers = chatgptScheme.sign({ body, secret, timestamp: 1_700_000_000 });
    const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(`1700000000.${body}`).digest("hex");
    expect(headers).toEqual({ "x-chatgpt-timestamp": "1700000000", "x-chatgpt-signature": `v1=${expected}` });
  });

  it("signs bytes and strings alike", () => {
    const fromString = chatgptScheme.sign({ body, secret, timestamp: 5 });
    const fromBytes = chatgptScheme.sign({ body: new Uint8Array(Buffer.from(body)), secret, timestamp: 5 });
    expect(fromBytes).toEqual(fromString);
  });

  it("treats a whsec_ secret as UTF-8 bytes, not base64", () => {
    const whsec = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const headers = chatgptScheme.sign({ body, secret: whsec, timestamp: 5 });
    const expected = createHmac("sha256", Buffer.from(whsec, "utf8")).update(`5.${body}`).digest("hex");
    expect(headers["x-chatgpt-signature"]).toBe(`v1=${expected}`);
  });

  it("adds x-chatgpt-event-id when an id is given", () => {
    expect(chatgptScheme.sign({ body, secret, timestamp: 5, id: "evt_1" })["x-chatgpt-event-id"]).toBe("evt_1");
    expect(chatgptScheme.sign({ body, secret, timestamp: 5 })).not.toHaveProperty("x-chatgpt-event-id");
  });

  it("round-trips through its own parser", () => {
    const parsed = chatgptScheme.parse(chatgptScheme.sign({ body, secret, timestamp: 1_700_000_000 }));
    expect(parsed.timestamp).toBe(1_700_000_000);
    expect(parsed.signatures).toHaveLength(1);
  });

  it("is named chatgpt and does not decode whsec_", () => {
    expect(chatgptScheme.name).toBe("chatgpt");
    expect(chatgptScheme.decodesWhsec).toBe(false);
  });
});
