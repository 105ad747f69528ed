// The key source for WEBHOOK_SECRET (or WEBHOOK_SECRET_FILE): fixed secrets, all tried (rotation grace periods).
import type { KeySource, VerificationKey } from "./key-source.js";

/** A static key source whose secrets can be replaced while running (a re-read secret file). */
export interface StaticKeySource extends KeySource {
  /** The next delivery is verified against `secrets` (validated by the caller). */
  replace(secrets: readonly string[]): void;
}

function freeze(secrets: readonly string[]): readonly VerificationKey[] {
  return Object.freeze(secrets.map((secret) => ({ secret })));
}

/**
 * Creates a source that returns `secrets` (the same array until `replace`, so prepared keys stay
 * cached; a replacement is a new array, so they are prepared once more).
 */
export function createStaticKeySource(secrets: readonly string[]): StaticKeySource {
  let keys = freeze(secrets);
  return {
    getKeys: () => keys,
    readiness: () => ({ ready: keys.length > 0, reason: keys.length > 0 ? undefined : "no secret configured" }),
    replace(next) {
      keys = freeze(next);
    },
  };
}
