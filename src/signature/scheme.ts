// What a signature scheme provides: header parsing, the signed prefix and signing.
import { ConfigError } from "../errors.js";
import type { HeaderInput } from "./headers.js";

/** The signature schemes of README, "Signature schemes". */
export type SchemeName = "chatgpt" | "standard";

/** Signature headers parsed from a request, before any key is involved. */
export interface ParsedSignature {
  /** The signed timestamp, in unix seconds. */
  readonly timestamp: number;
  /** Candidate signatures: decoded, each exactly 32 bytes, at most {@link MAX_SIGNATURE_ENTRIES}. */
  readonly signatures: readonly Buffer[];
  /** The text signed before the body (`${timestamp}.` or `${id}.${timestamp}.`). */
  readonly prefix: string;
  /** A signed delivery id (`webhook-id` in the standard scheme), usable for dedupe. */
  readonly signedId: string | undefined;
  /** An id for log correlation; may be unsigned (`x-chatgpt-event-id`), so never used for dedupe. */
  readonly correlationId: string | undefined;
}

/** Input of a scheme's signer. */
export interface SignInput {
  /** The exact bytes that will be sent. */
  readonly body: string | Uint8Array;
  /** One secret (`whsec_...` or plain). */
  readonly secret: string;
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number;
  /** Delivery id: required by the standard scheme (`webhook-id`), optional in the chatgpt one. */
  readonly id?: string;
}

/** One signature scheme. */
export interface SignatureScheme {
  readonly name: SchemeName;
  /** Whether `whsec_` secrets are base64-decoded to get the key bytes. */
  readonly decodesWhsec: boolean;
  /**
   * Parses the signature headers.
   * @throws DeliveryRejectedError `missing_header` or `malformed_header`
   */
  parse(headers: HeaderInput): ParsedSignature;
  /** Computes the headers that sign `input.body`. */
  sign(input: SignInput): Record<string, string>;
}

/**
 * The signed timestamp (default now) and the body as bytes, as both signers need them.
 * @throws ConfigError (`timestamp`) unless it is a whole non-negative number of seconds: any
 *   other value would be written into a header that every verifier refuses
 */
export function signingParts(input: SignInput): { readonly timestamp: string; readonly body: Uint8Array } {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ConfigError("timestamp", "must be a whole non-negative number of unix seconds");
  }
  return {
    timestamp: String(timestamp),
    body: typeof input.body === "string" ? Buffer.from(input.body) : input.body,
  };
}

/** A header cannot make us compute more than this many signature comparisons per key. */
export const MAX_SIGNATURE_ENTRIES = 10;
