// HMAC-SHA256 over a signed prefix and the raw body, and the timing-safe match against candidates.
import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";
import type { PreparedKey } from "./hmac-key.js";

/** HMAC-SHA256 of `prefix` followed by `body`, without concatenating buffers. */
export function hmacSha256(key: KeyObject | Buffer, prefix: string, body: Uint8Array): Buffer {
  return createHmac("sha256", key).update(prefix).update(body).digest();
}

/**
 * Returns the first key whose digest equals one of `signatures` (each exactly 32 bytes), or
 * `undefined`. Every key x every signature is compared with `timingSafeEqual` on equal-length
 * buffers; each key's digest is computed once.
 */
export function findMatchingKey(
  keys: readonly PreparedKey[],
  signatures: readonly Buffer[],
  prefix: string,
  body: Uint8Array,
): PreparedKey | undefined {
  for (const candidate of keys) {
    const digest = hmacSha256(candidate.key, prefix, body);
    for (const signature of signatures) {
      if (signature.length === digest.length && timingSafeEqual(signature, digest)) return candidate;
    }
  }
  return undefined;
}
