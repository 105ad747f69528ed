// Caching key objects per key list, so a request never rebuilds the HMAC keys.
import type { VerificationKey } from "../keys/key-source.js";
import { prepareKey, type PreparedKey } from "./hmac-key.js";

/**
 * Returns a function that prepares a key list once per list identity: a key source that
 * returns the same array while its keys are unchanged costs one WeakMap lookup per request.
 */
export function createKeyPreparer(decodeWhsec: boolean): (keys: readonly VerificationKey[]) => readonly PreparedKey[] {
  const cache = new WeakMap<readonly VerificationKey[], readonly PreparedKey[]>();
  return (keys) => {
    let prepared = cache.get(keys);
    if (prepared === undefined) {
      prepared = keys.map((key) => prepareKey(key.secret, decodeWhsec, key.id));
      cache.set(keys, prepared);
    }
    return prepared;
  };
}
