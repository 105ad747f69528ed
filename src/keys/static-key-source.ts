// The key source for WEBHOOK_SECRET: fixed secrets, all tried (rotation grace periods).
import type { KeySource, VerificationKey } from "./key-source.js";

/** Creates a source that always returns `secrets` (the same array, so prepared keys stay cached). */
export function createStaticKeySource(secrets: readonly string[]): KeySource {
  const keys: readonly VerificationKey[] = Object.freeze(secrets.map((secret) => ({ secret })));
  return {
    getKeys: () => keys,
    readiness: () => ({ ready: keys.length > 0, reason: keys.length > 0 ? undefined : "no secret configured" }),
  };
}
