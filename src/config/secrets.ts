// Validation of static secrets: long enough to resist guessing, well-formed `whsec_` values.
import { ConfigError } from "../errors.js";
import { MIN_SECRET_BYTES, secretBytes } from "../signature/hmac-key.js";
import type { SchemeName } from "../signature/scheme.js";

const WHSEC = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** Splits a comma-separated secret list, trimming and dropping empty entries. */
export function splitSecrets(value: string): string[] {
  return value
    .split(",")
    .map((secret) => secret.trim())
    .filter((secret) => secret.length > 0);
}

/**
 * Checks every secret for `scheme`.
 * @throws ConfigError naming `variable` (never the secret) when one is too short or malformed
 */
export function validateSecrets(secrets: readonly string[], scheme: SchemeName, variable: string): void {
  if (secrets.length === 0) throw new ConfigError(variable, "at least one secret is required");
  secrets.forEach((secret, index) => {
    const decodes = scheme === "standard";
    if (decodes && secret.startsWith("whsec_") && !WHSEC.test(secret)) {
      throw new ConfigError(variable, `secret #${index + 1} starts with whsec_ but is not valid base64`);
    }
    if (secretBytes(secret, decodes).length < MIN_SECRET_BYTES) {
      throw new ConfigError(variable, `secret #${index + 1} is shorter than ${MIN_SECRET_BYTES} bytes`);
    }
  });
}
