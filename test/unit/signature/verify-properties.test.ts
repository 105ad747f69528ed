// Properties of verifyDelivery: only coded rejections escape it, valid deliveries verify, and no other timestamp does.
// A changed body byte is verify-delivery.test.ts's (every position, every value), not repeated here.
import { createHmac, createSecretKey } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeliveryRejectedError } from "../../../src/errors.js";
import type { HeaderInput } from "../../../src/signature/headers.js";
import type { PreparedKey } from "../../../src/signature/hmac-key.js";
import type { SignatureScheme } from "../../../src/signature/scheme.js";
import { chatgptScheme } from "../../../src/signature/chatgpt-scheme.js";
import { standardScheme } from "../../../src/signature/standard-scheme.js";
import { verifyDelivery } from "../../../src/signature/verify-delivery.js";

const T = 1_700_000_000;
const NOW_MS = T * 1000;
const TOLERANCE = 300;
const SECRET = "property-test-secret-0123456789";
const KEYS: readonly PreparedKey[] = [{ id: "k", key: createSecretKey(Buffer.from(SECRET, "utf8")) }];
const RUNS = { numRuns: 200 };
const REJECTION_CODE: unknown = expect.stringMatching(
  /^(missing_header|malformed_header|timestamp_out_of_tolerance|invalid_signature)$/,
);

function chatgptSigned(body: Uint8Array, timestamp: number): Record<string, string> {
  const digest = createHmac("sha256", Buffer.from(SECRET, "utf8")).update(`${timestamp}.`).update(body).digest("hex");
  return { "x-chatgpt-timestamp": String(timestamp), "x-chatgpt-signature": `v1=${digest}` };
}

function standardSigned(body: Uint8Array, timestamp: number, id: string): Record<string, string> {
  const digest = createHmac("sha256", Buffer.from(SECRET, "utf8")).update(`${id}.${timestamp}.`).update(body).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${digest}` };
}

/** Runs the verifier and returns what escaped it, if anything. */
function outcome(scheme: SignatureScheme, headers: HeaderInput, body: Uint8Array): unknown {
  try {
    verifyDelivery({ scheme, headers, body, keys: KEYS, nowMs: NOW_MS, toleranceSeconds: TOLERANCE });
    return undefined;
  } catch (error) {
    return error;
  }
}

const HEADER_NAMES = [
  "x-chatgpt-timestamp",
  "x-chatgpt-signature",
  "x-chatgpt-event-id",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "X-ChatGPT-Timestamp",
  "Webhook-Signature",
];

/** Header values biased toward the shapes the parsers look for, plus arbitrary text. */
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.integer({ min: T - 2 * TOLERANCE, max: T + 2 * TOLERANCE }).map(String),
  fc.stringMatching(/^[0-9]{1,20}$/),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => `v1=${Buffer.from(bytes).toString("hex")}`),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => `v1,${Buffer.from(bytes).toString("base64")}`),
  fc.array(fc.constantFrom("v1=", "v1,", ",", " ", "a", "=", "0"), { maxLength: 40 }).map((parts) => parts.join("")),
);
const headerRecord = fc.dictionary(
  fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string()),
  fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })),
);
const scheme = fc.constantFrom(chatgptScheme, standardScheme);

describe("verifyDelivery properties", () => {
  // Arbitrary headers carry no valid signature (a random one matches with odds of 2^-256), so
  // every one of them is refused, with a coded rejection and nothing else.
  it("refuses arbitrary headers and bodies with a coded DeliveryRejectedError, never anything else", () => {
    fc.assert(
      fc.property(scheme, headerRecord, fc.uint8Array({ maxLength: 256 }), (chosen, headers, body) => {
        const escaped = outcome(chosen, headers, body);
        expect(escaped).toBeInstanceOf(DeliveryRejectedError);
        expect(escaped).toEqual(expect.objectContaining({ code: REJECTION_CODE }));
      }),
      RUNS,
    );
  });

  it("behaves the same when the headers come as a fetch Headers object", () => {
    fc.assert(
      fc.property(scheme, fc.uint8Array({ maxLength: 64 }), fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue), (chosen, body, record) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(record)) {
          // fetch Headers refuse some values outright (control characters); those never reach us.
          try {
            headers.set(name, value);
          } catch {
            continue;
          }
        }
        const escaped = outcome(chosen, headers, body);
        expect(escaped).toBeInstanceOf(DeliveryRejectedError);
        expect(escaped).toEqual(expect.objectContaining({ code: REJECTION_CODE }));
      }),
      RUNS,
    );
  });

  it("a valid chatgpt delivery verifies, whatever its body and wherever in the window its timestamp", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.integer({ min: -TOLERANCE, max: TOLERANCE }), (body, skew) => {
        expect(outcome(chatgptScheme, chatgptSigned(body, T + skew), body)).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("a valid chatgpt delivery never verifies under any other timestamp", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.integer({ min: -TOLERANCE, max: TOLERANCE }),
        fc.integer({ min: -10 * TOLERANCE, max: 10 * TOLERANCE }).filter((delta) => delta !== 0),
        (body, skew, delta) => {
          const headers = chatgptSigned(body, T + skew);
          const changed = { ...headers, "x-chatgpt-timestamp": String(T + skew + delta) };
          const escaped = outcome(chatgptScheme, changed, body);
          expect(escaped).toBeInstanceOf(DeliveryRejectedError);
          if (Math.abs(skew + delta) <= TOLERANCE) {
            expect(escaped).toEqual(expect.objectContaining({ code: "invalid_signature" }));
          }
        },
      ),
      RUNS,
    );
  });

  it("a valid standard delivery verifies; re-dated within the window it never does", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
        fc.integer({ min: -TOLERANCE, max: TOLERANCE }),
        fc.integer({ min: 1, max: TOLERANCE }),
        (body, id, skew, delta) => {
          const headers = standardSigned(body, T + skew, id);
          expect(outcome(standardScheme, headers, body)).toBeUndefined();
          const redated = { ...headers, "webhook-timestamp": String(T + skew + (skew > 0 ? -delta : delta)) };
          expect(outcome(standardScheme, redated, body)).toEqual(expect.objectContaining({ code: "invalid_signature" }));
        },
      ),
      RUNS,
    );
  });
});
