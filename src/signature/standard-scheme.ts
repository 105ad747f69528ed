// The `standard` scheme (Standard Webhooks): webhook-id/-timestamp/-signature, HMAC of `${id}.${t}.${body}`.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import type { HeaderInput } from "./headers.js";
import { hmacSha256 } from "./hmac.js";
import { signingKeyBytes } from "./hmac-key.js";
import { MAX_SIGNATURE_ENTRIES, signingParts, type ParsedSignature, type SignatureScheme, type SignInput } from "./scheme.js";
import { parseTimestamp } from "./timestamp.js";
import { requireHeader, tooManyEntries } from "./header-errors.js";

const ID = "webhook-id";
const TIMESTAMP = "webhook-timestamp";
const SIGNATURE = "webhook-signature";
/** Printable ASCII without spaces, 1 to 256: ids are signed, but must stay sane in keys and logs. */
const DELIVERY_ID = /^[\x21-\x7e]{1,256}$/;
/** A 32-byte HMAC in base64, padded or not. */
const BASE64_32 = /^[A-Za-z0-9+/]{43}=?$/;

/**
 * Parses `webhook-signature`: space-separated `v1,<base64>` entries; other versions
 * (`v1a,...`) and malformed entries are skipped (https://www.standardwebhooks.com/).
 */
export function parseStandardSignatures(value: string): Buffer[] {
  const entries = value.split(" ");
  if (entries.length > MAX_SIGNATURE_ENTRIES) throw tooManyEntries(SIGNATURE);
  const signatures: Buffer[] = [];
  for (const entry of entries) {
    if (!entry.startsWith("v1,")) continue;
    const encoded = entry.slice(3);
    if (BASE64_32.test(encoded)) signatures.push(Buffer.from(encoded, "base64"));
  }
  if (signatures.length === 0) {
    throw new DeliveryRejectedError(ErrorCode.MALFORMED_HEADER, `${SIGNATURE} has no v1,<base64> entry`);
  }
  return signatures;
}

function parse(headers: HeaderInput): ParsedSignature {
  const id = requireHeader(headers, ID);
  const timestampText = requireHeader(headers, TIMESTAMP);
  const signatureText = requireHeader(headers, SIGNATURE);
  if (!DELIVERY_ID.test(id)) {
    throw new DeliveryRejectedError(ErrorCode.MALFORMED_HEADER, `${ID} must be 1 to 256 printable ASCII characters`);
  }
  const timestamp = parseTimestamp(timestampText, TIMESTAMP);
  return {
    timestamp,
    signatures: parseStandardSignatures(signatureText),
    prefix: `${id}.${timestampText}.`,
    signedId: id,
    correlationId: id,
  };
}

function sign(input: SignInput): Record<string, string> {
  if (input.id === undefined) throw new TypeError("the standard scheme signs a webhook-id: pass `id`");
  const { timestamp, body } = signingParts(input);
  const digest = hmacSha256(signingKeyBytes(input.secret, true), `${input.id}.${timestamp}.`, body);
  return { [ID]: input.id, [TIMESTAMP]: timestamp, [SIGNATURE]: `v1,${digest.toString("base64")}` };
}

/** Standard Webhooks, as used by OpenAI's platform webhooks (README, "Signature schemes"). */
export const standardScheme: SignatureScheme = {
  name: "standard",
  decodesWhsec: true,
  parse,
  sign,
};
