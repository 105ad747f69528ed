// The pure verifier: headers, raw body, candidate keys and a clock in; a verified delivery or a coded error out.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import type { HeaderInput } from "./headers.js";
import { findMatchingKey } from "./hmac.js";
import type { PreparedKey } from "./hmac-key.js";
import type { ParsedSignature, SignatureScheme } from "./scheme.js";
import { assertFresh } from "./timestamp.js";

/** What verification proved about a delivery. */
export interface VerifiedSignature {
  /** The signed timestamp, unix seconds. */
  readonly timestamp: number;
  /** The signed delivery id (`webhook-id`), when the scheme signs one. */
  readonly signedId: string | undefined;
  /** The correlation id from the headers (may be unsigned). */
  readonly correlationId: string | undefined;
  /** The id of the key that matched, when the provider names its keys. */
  readonly keyId: string | undefined;
}

/**
 * Parses the signature headers and checks freshness (no key needed yet).
 * @throws DeliveryRejectedError `missing_header`, `malformed_header`, `timestamp_out_of_tolerance`
 */
export function parseFresh(
  scheme: SignatureScheme,
  headers: HeaderInput,
  nowMs: number,
  toleranceSeconds: number,
): ParsedSignature {
  const parsed = scheme.parse(headers);
  assertFresh(parsed.timestamp, nowMs, toleranceSeconds);
  return parsed;
}

/**
 * Checks the parsed signatures against every candidate key over the raw body.
 * @returns the matching key, or `undefined` when none matched.
 */
export function matchSignature(
  parsed: ParsedSignature,
  body: Uint8Array,
  keys: readonly PreparedKey[],
): PreparedKey | undefined {
  return findMatchingKey(keys, parsed.signatures, parsed.prefix, body);
}

/** The error for a signature that matched no key. */
export function invalidSignature(): DeliveryRejectedError {
  return new DeliveryRejectedError(ErrorCode.INVALID_SIGNATURE, "no signature matches a current key");
}

/** Everything the pure verifier needs. */
export interface VerifyDeliveryInput {
  readonly scheme: SignatureScheme;
  readonly headers: HeaderInput;
  /** The exact bytes received. */
  readonly body: Uint8Array;
  readonly keys: readonly PreparedKey[];
  /** Current time in ms since the epoch. */
  readonly nowMs: number;
  readonly toleranceSeconds: number;
}

/**
 * Verifies one delivery end to end (headers, freshness, signature), with no I/O.
 * @throws DeliveryRejectedError `missing_header`, `malformed_header`, `timestamp_out_of_tolerance`,
 *   `invalid_signature`
 */
export function verifyDelivery(input: VerifyDeliveryInput): VerifiedSignature {
  const parsed = parseFresh(input.scheme, input.headers, input.nowMs, input.toleranceSeconds);
  const key = matchSignature(parsed, input.body, input.keys);
  if (key === undefined) throw invalidSignature();
  return verified(parsed, key);
}

/** The verified view of a parsed signature once `key` matched. */
export function verified(parsed: ParsedSignature, key: PreparedKey): VerifiedSignature {
  return {
    timestamp: parsed.timestamp,
    signedId: parsed.signedId,
    correlationId: parsed.correlationId,
    keyId: key.id,
  };
}
