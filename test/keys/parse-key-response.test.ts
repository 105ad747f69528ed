// Key endpoint bodies: both accepted shapes, expired keys dropped, hostile shapes rejected with a code.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMaxAgeSeconds } from "../../src/keys/cache-control.js";
import { KeyEndpointError } from "../../src/keys/errors.js";
import { parseKeyResponse } from "../../src/keys/parse-key-response.js";
import { secretProblem } from "../../src/signature/secret-rules.js";

const now = Date.parse("2025-06-01T12:00:00Z");

describe("parseKeyResponse", () => {
  it('accepts {"secret": ...}', () => {
    expect(parseKeyResponse({ secret: "whsec_YWJjLWtleS1tYXRlcmlhbC0wMTIzNDU2" }, now)).toEqual({ keys: [{ secret: "whsec_YWJjLWtleS1tYXRlcmlhbC0wMTIzNDU2" }], expiries: [undefined], earliestExpiry: undefined });
  });

  it('accepts {"keys": [...]}, drops expired keys, reports the earliest remaining expiry', () => {
    const parsed = parseKeyResponse(
      {
        keys: [
          { id: "old", secret: "s-old-secret-0123456789", expires_at: "2025-06-01T11:59:59Z" },
          { id: "cur", secret: "s-cur-secret-0123456789", expires_at: "2025-06-01T13:00:00Z" },
          { id: "next", secret: "s-next-secret-0123456789" },
        ],
      },
      now,
    );
    expect(parsed.keys).toEqual([{ id: "cur", secret: "s-cur-secret-0123456789" }, { id: "next", secret: "s-next-secret-0123456789" }]);
    expect(parsed.earliestExpiry).toBe(Date.parse("2025-06-01T13:00:00Z"));
  });

  it.each([
    ["every key expired", { keys: [{ secret: "s-old-secret-0123456789", expires_at: "2020-01-01T00:00:00Z" }] }],
    ["an empty list", { keys: [] }],
  ])("%s: a valid answer with no current key (the provider revoked them)", (_name, body) => {
    expect(parseKeyResponse(body, now)).toEqual({ keys: [], expiries: [], earliestExpiry: undefined });
  });

  it.each([
    ["whsec_ alone (a 0-byte key: anyone could sign)", { secret: "whsec_" }],
    ["whsec_ with invalid base64", { secret: "whsec_!!!!" }],
    ["whsec_ with a truncated base64 group", { secret: "whsec_YWJjZGVmZ2hpamtsbW5vcHFyc3R1d" }],
    ["whsec_ of 15 bytes", { secret: `whsec_${Buffer.alloc(15, 7).toString("base64")}` }],
    ["a plain secret of 15 bytes", { secret: "fifteen-bytes!!" }],
    ["one bad key among good ones", { keys: [{ id: "good", secret: "s-cur-secret-0123456789" }, { id: "bad", secret: "whsec_" }] }],
    ["an expired bad key", { keys: [{ secret: "whsec_", expires_at: "2020-01-01T00:00:00Z" }] }],
  ])("refuses unusable key material: %s", (_name, body) => {
    expect(() => parseKeyResponse(body, now)).toThrow(expect.objectContaining({ code: "invalid_key_response" }) as Error);
  });

  it("checks whsec_ secrets as UTF-8 text in the chatgpt scheme (not base64), still at least 16 bytes", () => {
    expect(parseKeyResponse({ secret: "whsec_not base64 but long" }, now, false).keys).toHaveLength(1);
    expect(() => parseKeyResponse({ secret: "whsec_short" }, now, false)).toThrow(expect.objectContaining({ code: "invalid_key_response" }) as Error);
  });

  it.each([
    ["null", null],
    ["an array", [{ secret: "s" }]],
    ["a string", "whsec_YWJjLWtleS1tYXRlcmlhbC0wMTIzNDU2"],
    ["an empty secret", { secret: "" }],
    ["a numeric secret", { secret: 42 }],
    ["keys not an array", { keys: { secret: "s" } }],
    ["a key without secret", { keys: [{ id: "a" }] }],
    ["a non-string id", { keys: [{ id: 1, secret: "s" }] }],
    ["a bad expires_at", { keys: [{ secret: "s", expires_at: "tomorrow" }] }],
    ["a numeric expires_at", { keys: [{ secret: "s", expires_at: 1_900_000_000 }] }],
    ["too many keys", { keys: Array.from({ length: 33 }, () => ({ secret: "s" })) }],
    ["a huge secret", { secret: "x".repeat(5000) }],
  ])("rejects %s with invalid_key_response", (_name, body) => {
    expect(() => parseKeyResponse(body, now)).toThrow(expect.objectContaining({ code: "invalid_key_response" }) as Error);
  });

  // Arbitrary JSON, plus bodies of the two accepted shapes with arbitrary contents: anything not of
  // those shapes is refused with a coded error, and keys returned always come from the body.
  const shapedBody = fc.oneof(
    fc.jsonValue(),
    fc.record({ secret: fc.oneof(fc.string({ minLength: 16, maxLength: 40 }), fc.string(), fc.jsonValue()) }),
    fc.record({
      keys: fc.array(
        fc.record(
          { id: fc.oneof(fc.string(), fc.jsonValue()), secret: fc.oneof(fc.string({ minLength: 16, maxLength: 40 }), fc.string(), fc.jsonValue()), expires_at: fc.oneof(fc.constant("2030-01-01T00:00:00Z"), fc.string()) },
          { requiredKeys: ["secret"] },
        ),
        { maxLength: 4 },
      ),
    }),
  );
  const hasAcceptedShape = (body: unknown): boolean =>
    typeof body === "object" && body !== null && !Array.isArray(body) && (typeof (body as { secret?: unknown }).secret === "string" || Array.isArray((body as { keys?: unknown }).keys));

  it("refuses anything but the accepted shapes with a coded KeyEndpointError, and returns only keys of the body", () => {
    let accepted = 0;
    fc.assert(
      fc.property(shapedBody, (body) => {
        let parsed: ReturnType<typeof parseKeyResponse> | undefined;
        try {
          parsed = parseKeyResponse(body, now);
        } catch (error) {
          expect(error).toBeInstanceOf(KeyEndpointError);
          expect(error).toEqual(expect.objectContaining({ code: "invalid_key_response" }));
          return;
        }
        expect(hasAcceptedShape(body)).toBe(true);
        // Every key returned is usable key material (a list may be empty: the provider revoked its keys).
        for (const key of parsed.keys) expect(secretProblem(key.secret, true)).toBeUndefined();
        const served = typeof (body as { secret?: unknown }).secret === "string" ? [(body as { secret: string }).secret] : (body as { keys: Array<{ secret: unknown }> }).keys.map((key) => key.secret);
        for (const key of parsed.keys) expect(served).toContain(key.secret);
        if (parsed.keys.length > 0) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted).toBeGreaterThan(0); // both branches ran
  });
});

describe("parseMaxAgeSeconds", () => {
  it.each([
    ["max-age=60", 60],
    ["public, max-age=120, must-revalidate", 120],
    ['max-age="30"', 30],
    ["no-store", 0],
    ["max-age=60, no-cache", 0],
    ["max-age=abc", undefined],
    ["private", undefined],
    ["", undefined],
    [null, undefined],
  ])("%s -> %s", (header, expected) => expect(parseMaxAgeSeconds(header)).toBe(expected));
});
