// The mandatory work of a chatgpt-scheme receiver, as the minimal honest receiver does it: freshness, HMAC-SHA256 + timingSafeEqual.
import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";

const TOLERANCE_SECONDS = 300;
const SIGNATURE_PREFIX = "v1=";

/** Whether `t` and `signature` sign `body` under `key`: fresh, and the HMAC of `${t}.${body}`. */
export function minimalVerified(key: KeyObject, body: Buffer, t: unknown, signature: unknown): boolean {
  if (typeof t !== "string" || typeof signature !== "string" || !signature.startsWith(SIGNATURE_PREFIX)) return false;
  const seconds = Number(t);
  if (!Number.isSafeInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", key).update(`${t}.`).update(body).digest();
  const given = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
