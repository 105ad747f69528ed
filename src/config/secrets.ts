// Validation of static secrets: long enough to resist guessing, well-formed `whsec_` values.
import { ConfigError } from "../errors.js";
import type { SchemeName } from "../signature/scheme.js";
import { secretProblem } from "../signature/secret-rules.js";

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
    const problem = secretProblem(secret, scheme === "standard");
    if (problem !== undefined) throw new ConfigError(variable, `secret #${index + 1} ${problem}`);
  });
}
