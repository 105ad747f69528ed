// The `chatgpt` scheme: x-chatgpt-timestamp + x-chatgpt-signature (v1=<hex>), HMAC of `${t}.${body}`.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import { getHeader, type HeaderInput } from "./headers.js";
import { hmacSha256 } from "./hmac.js";
import { signingKeyBytes } from "./hmac-key.js";
import { MAX_SIGNATURE_ENTRIES, signingParts, type ParsedSignature, type SignatureScheme, type SignInput } from "./scheme.js";
import { parseTimestamp } from "./timestamp.js";
import { requireHeader, tooManyEntries } from "./header-errors.js";

const TIMESTAMP = "x-chatgpt-timestamp";
const SIGNATURE = "x-chatgpt-signature";
const EVENT_ID = "x-chatgpt-event-id";
const HEX_64 = /^[0-9a-fA-F]{64}$/;

/**
 * Parses `x-chatgpt-signature`: comma-separated `v1=<64 hex>` entries (spaces around commas
 * allowed); a bare 64-hex value counts as one v1 entry; other entries are skipped.
 */
export function parseChatgptSignatures(value: string): Buffer[] {
  // The common case, one `v1=<hex>` entry, without splitting or a regex: hex decoding stops at
  // the first non-hex character, so 32 bytes out means 64 hex digits in, for ASCII text (a JS
  // string with wider characters, as `verify()` may be given, is decoded from their low bytes,
  // hence the byte-length check; header text from Node is always one byte per character).
  if (value.length === 67 && value.startsWith("v1=") && Buffer.byteLength(value) === 67) {
    const digest = Buffer.from(value.slice(3), "hex");
    if (digest.length === 32) return [digest];
  }
  const entries = value.split(",");
  if (entries.length > MAX_SIGNATURE_ENTRIES) throw tooManyEntries(SIGNATURE);
  const signatures: Buffer[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const hex = entry.startsWith("v1=") ? entry.slice(3) : entry;
    if (HEX_64.test(hex)) signatures.push(Buffer.from(hex, "hex"));
  }
  if (signatures.length === 0) {
    throw new DeliveryRejectedError(ErrorCode.MALFORMED_HEADER, `${SIGNATURE} has no v1=<64 hex> entry`);
  }
  return signatures;
}

function parse(headers: HeaderInput): ParsedSignature {
  const timestampText = requireHeader(headers, TIMESTAMP);
  const signatureText = requireHeader(headers, SIGNATURE);
  const timestamp = parseTimestamp(timestampText, TIMESTAMP);
  return {
    timestamp,
    signatures: parseChatgptSignatures(signatureText),
    prefix: `${timestampText}.`,
    signedId: undefined,
    // Unsigned and sender-controlled: logged for correlation only, and bounded.
    correlationId: getHeader(headers, EVENT_ID)?.slice(0, 255),
  };
}

function sign(input: SignInput): Record<string, string> {
  const { timestamp, body } = signingParts(input);
  const digest = hmacSha256(signingKeyBytes(input.secret, false), `${timestamp}.`, body).toString("hex");
  const headers: Record<string, string> = { [TIMESTAMP]: timestamp, [SIGNATURE]: `v1=${digest}` };
  if (input.id !== undefined) headers[EVENT_ID] = input.id;
  return headers;
}

/** The default scheme of the seed guide (README, "Signature schemes"). */
export const chatgptScheme: SignatureScheme = {
  name: "chatgpt",
  decodesWhsec: false,
  parse,
  sign,
};
