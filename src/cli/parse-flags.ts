// One flag parser for every subcommand (node:util parseArgs, strict): unknown flags are named.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage-error.js";

/** parseArgs settings shared by all subcommands: strict, positionals allowed, `--help` accepted. */
export function flagConfig<T extends NonNullable<ParseArgsConfig["options"]>>(args: readonly string[], options: T) {
  return {
    args: [...args],
    options: { ...options, help: { type: "boolean", short: "h" } } as T & { help: { type: "boolean"; short: "h" } },
    allowPositionals: true,
    strict: true,
  } as const;
}

/** Runs a parse, turning parseArgs' errors (unknown flag, missing value) into a UsageError. */
export function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export { parseArgs };

/** A flag's value as a whole number in [min, max]. @throws UsageError */
export function integerFlag(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return number;
}
