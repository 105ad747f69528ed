// Validation of static secrets: long enough to resist guessing, well-formed `whsec_` values.
import { ConfigError } from "../errors.js";
import type { SchemeName } from "../signature/scheme.js";
import { secretProblem } from "../signature/secret-rules.js";
import { parseSecretList } from "./secret-file.js";

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

/**
 * The secrets of a `WEBHOOK_SECRET_FILE`'s text (one per line or comma-separated), validated.
 * @throws ConfigError `WEBHOOK_SECRET_FILE` when it holds none or a bad one (never echoed)
 */
export function webhookSecretsFromFile(content: string, scheme: SchemeName): string[] {
  const secrets = parseSecretList(content);
  validateSecrets(secrets, scheme, "WEBHOOK_SECRET_FILE");
  return secrets;
}
