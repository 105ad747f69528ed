// Pure validation of a key endpoint body: the two shapes of README "Remote keys", key material checked, expired keys dropped.
import { secretProblem } from "../signature/secret-rules.js";
import type { VerificationKey } from "./key-source.js";
import { KeyEndpointError, KeyEndpointErrorCode } from "./errors.js";

/** Bounds that keep a hostile or broken body from costing memory or CPU on every delivery. */
export const KEY_RESPONSE_LIMITS = { maxKeys: 32, maxSecretLength: 4096, maxIdLength: 256 } as const;

/** Valid keys of a body, each one's `expires_at` (ms, same index), and the earliest of those. */
export interface ParsedKeys {
  readonly keys: readonly VerificationKey[];
  readonly expiries: readonly (number | undefined)[];
  readonly earliestExpiry: number | undefined;
}

/**
 * Accepts `{"secret": "..."}` or `{"keys": [{"id", "secret", "expires_at"}]}`. Every secret must
 * be usable key material, as a configured one (at least 16 bytes; strict base64 after `whsec_`
 * when `decodesWhsec`). Keys whose `expires_at` is not after `nowMs` are dropped; `id` and
 * `expires_at` are optional. A list with no current key (empty, or every key expired) is a valid
 * answer with no keys: the provider revoked them.
 * @throws KeyEndpointError `invalid_key_response` for any other shape or any unusable secret
 * (the whole body is rejected, never partly used).
 */
export function parseKeyResponse(body: unknown, nowMs: number, decodesWhsec = true): ParsedKeys {
  if (!isObject(body)) throw invalid("body is not a JSON object");
  if ("keys" in body) return parseKeyList(body.keys, nowMs, decodesWhsec);
  if (!isSecret(body.secret)) throw invalid('neither "keys" nor a usable "secret"');
  checkKeyMaterial(body.secret, decodesWhsec, "secret");
  return { keys: [{ secret: body.secret }], expiries: [undefined], earliestExpiry: undefined };
}

function parseKeyList(list: unknown, nowMs: number, decodesWhsec: boolean): ParsedKeys {
  if (!Array.isArray(list)) throw invalid('"keys" is not an array');
  if (list.length > KEY_RESPONSE_LIMITS.maxKeys) throw invalid(`more than ${KEY_RESPONSE_LIMITS.maxKeys} keys`);
  const keys: VerificationKey[] = [];
  const expiries: (number | undefined)[] = [];
  let earliestExpiry: number | undefined;
  for (const [index, entry] of list.entries()) {
    if (!isObject(entry) || !isSecret(entry.secret)) throw invalid(`keys[${index}] has no usable "secret"`);
    checkKeyMaterial(entry.secret, decodesWhsec, `keys[${index}].secret`);
    const id = entry.id;
    if (id !== undefined && (typeof id !== "string" || id.length > KEY_RESPONSE_LIMITS.maxIdLength)) {
      throw invalid(`keys[${index}].id is not a short string`);
    }
    const expiresAt = parseExpiry(entry.expires_at, index);
    if (expiresAt !== undefined && expiresAt <= nowMs) continue;
    if (expiresAt !== undefined) earliestExpiry = Math.min(earliestExpiry ?? expiresAt, expiresAt);
    keys.push(id === undefined ? { secret: entry.secret } : { id, secret: entry.secret });
    expiries.push(expiresAt);
  }
  return { keys, expiries, earliestExpiry };
}

function parseExpiry(value: unknown, index: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(`keys[${index}].expires_at is not an ISO 8601 date-time`);
  return ms;
}

/** A served secret obeys the rules of a configured one: a 0-byte `whsec_` key would let anyone sign. */
function checkKeyMaterial(secret: string, decodesWhsec: boolean, where: string): void {
  const problem = secretProblem(secret, decodesWhsec);
  if (problem !== undefined) throw invalid(`${where} ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecret(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= KEY_RESPONSE_LIMITS.maxSecretLength;
}

function invalid(why: string): KeyEndpointError {
  return new KeyEndpointError(KeyEndpointErrorCode.INVALID_RESPONSE, `key endpoint response rejected: ${why}`);
}
