// Key endpoint bodies: both accepted shapes, expired keys dropped, hostile shapes rejected with a code.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMaxAgeSeconds } from "../../src/keys/cache-control.js";
import { KeyEndpointError } from "../../src/keys/errors.js";
import { parseKeyResponse } from "../../src/keys/parse-key-response.js";

const now = Date.parse("2025-06-01T12:00:00Z");

describe("parseKeyResponse", () => {
  it('accepts {"secret": ...}', () => {
    expect(parseKeyResponse({ secret: "whsec_abc" }, now)).toEqual({ keys: [{ secret: "whsec_abc" }], expiries: [undefined], earliestExpiry: undefined });
  });

  it('accepts {"keys": [...]}, drops expired keys, reports the earliest remaining expiry', () => {
    const parsed = parseKeyResponse(
      {
        keys: [
          { id: "old", secret: "s-old", expires_at: "2025-06-01T11:59:59Z" },
          { id: "cur", secret: "s-cur", expires_at: "2025-06-01T13:00:00Z" },
          { id: "next", secret: "s-next" },
        ],
      },
      now,
    );
    expect(parsed.keys).toEqual([{ id: "cur", secret: "s-cur" }, { id: "next", secret: "s-next" }]);
    expect(parsed.earliestExpiry).toBe(Date.parse("2025-06-01T13:00:00Z"));
  });

  it("every key expired -> no_valid_keys", () => {
    expect(() => parseKeyResponse({ keys: [{ secret: "s", expires_at: "2020-01-01T00:00:00Z" }] }, now)).toThrow(
      expect.objectContaining({ code: "no_valid_keys" }) as Error,
    );
  });

  it.each([
    ["null", null],
    ["an array", [{ secret: "s" }]],
    ["a string", "whsec_abc"],
    ["an empty secret", { secret: "" }],
    ["a numeric secret", { secret: 42 }],
    ["keys not an array", { keys: { secret: "s" } }],
    ["empty keys", { keys: [] }],
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
    fc.record({ secret: fc.oneof(fc.string(), fc.jsonValue()) }),
    fc.record({
      keys: fc.array(
        fc.record(
          { id: fc.oneof(fc.string(), fc.jsonValue()), secret: fc.oneof(fc.string(), fc.jsonValue()), expires_at: fc.oneof(fc.constant("2030-01-01T00:00:00Z"), fc.string()) },
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
          expect(error).toEqual(expect.objectContaining({ code: expect.stringMatching(/^(invalid_key_response|no_valid_keys)$/) as unknown }));
          return;
        }
        expect(hasAcceptedShape(body)).toBe(true);
        expect(parsed.keys.length).toBeGreaterThan(0);
        const served = typeof (body as { secret?: unknown }).secret === "string" ? [(body as { secret: string }).secret] : (body as { keys: Array<{ secret: unknown }> }).keys.map((key) => key.secret);
        for (const key of parsed.keys) expect(served).toContain(key.secret);
        accepted++;
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
