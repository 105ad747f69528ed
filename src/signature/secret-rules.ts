// What makes a secret usable as an HMAC key, for configured and served keys alike.
import { MIN_SECRET_BYTES, secretBytes } from "./hmac-key.js";

/** `whsec_` then strict base64 (the Standard Webhooks secret format). */
const WHSEC = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Why `secret` cannot be a verification key, or `undefined` when it can: at least
 * {@link MIN_SECRET_BYTES} bytes of key, and when `decodesWhsec` (the standard scheme) a
 * `whsec_` secret must be strict base64. The answer never contains the secret.
 */
export function secretProblem(secret: string, decodesWhsec: boolean): string | undefined {
  if (decodesWhsec && secret.startsWith("whsec_") && !WHSEC.test(secret)) return "starts with whsec_ but is not valid base64";
  if (secretBytes(secret, decodesWhsec).length < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  return undefined;
}
