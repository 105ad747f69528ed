// Turning configured secrets into HMAC key objects, once per secret rather than per request.
import { createSecretKey, type KeyObject } from "node:crypto";
import { ConfigError } from "../errors.js";

const STANDARD_PREFIX = "whsec_";

/** The smallest secret we accept, in bytes (shorter ones are too easy to guess). */
export const MIN_SECRET_BYTES = 16;

/** A secret ready for HMAC: the key object plus the provider's key id, when known. */
export interface PreparedKey {
  readonly id: string | undefined;
  readonly key: KeyObject;
}

/**
 * The HMAC key bytes of a secret. In the `standard` scheme a `whsec_` secret is the base64
 * of the key (Standard Webhooks); every other secret is used as its UTF-8 bytes.
 */
export function secretBytes(secret: string, decodeWhsec: boolean): Buffer {
  if (decodeWhsec && secret.startsWith(STANDARD_PREFIX)) {
    return Buffer.from(secret.slice(STANDARD_PREFIX.length), "base64");
  }
  return Buffer.from(secret, "utf8");
}

/**
 * The key bytes of a secret that is about to sign or verify.
 * @throws ConfigError (`secret`) for a 0-byte key (`""`, or `whsec_` alone in the standard
 *   scheme): with it anyone could sign, so an unset variable must never reach the HMAC.
 */
export function signingKeyBytes(secret: string, decodeWhsec: boolean): Buffer {
  const bytes = secretBytes(secret, decodeWhsec);
  if (bytes.length === 0) throw new ConfigError("secret", "is empty: a 0-byte HMAC key would let anyone sign");
  return bytes;
}

/**
 * Builds the key object of one secret.
 * @throws ConfigError (`secret`) for a 0-byte key
 */
export function prepareKey(secret: string, decodeWhsec: boolean, id?: string): PreparedKey {
  return { id, key: createSecretKey(signingKeyBytes(secret, decodeWhsec)) };
}
