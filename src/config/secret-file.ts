// Reading secrets from files (`WEBHOOK_SECRET_FILE`, `CLIENT_SECRET_FILE`; README, "Secrets from files").
import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";

/**
 * The secrets in a file's text: one per line or comma-separated; blank entries and whitespace
 * around each are ignored.
 */
export function parseSecretList(content: string): string[] {
  return content
    .split(/[\r\n,]/)
    .map((secret) => secret.trim())
    .filter((secret) => secret.length > 0);
}

/**
 * The text of the file named by `variable` (read now, synchronously: configuration is read at start).
 * @throws ConfigError naming `variable` and the error code (never the content) when it cannot be read
 */
export function readConfigFile(variable: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(variable, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "read error"})`);
  }
}

/**
 * The value of `name` or of `${name}_FILE`, whichever is set (both set is an error).
 * @returns `{ path }` for the file variant, `{ value }` for the plain one, or `undefined`
 * @throws ConfigError naming both variables when both are set
 */
export function plainOrFile(text: (name: string) => string | undefined, name: string): { readonly value: string } | { readonly path: string } | undefined {
  const value = text(name);
  const path = text(`${name}_FILE`);
  if (value !== undefined && path !== undefined) throw new ConfigError(name, `set either ${name} or ${name}_FILE, not both`);
  if (path !== undefined) return { path };
  return value === undefined ? undefined : { value };
}
