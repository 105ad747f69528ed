// Small readers of environment variables, each failing with a ConfigError that names the variable.
import { ConfigError } from "../errors.js";
import { checkInteger, type IntegerSetting } from "./limits.js";

/** The process environment, or any record of strings. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The trimmed value, or `undefined` when unset or blank. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** The trimmed value. @throws ConfigError when unset; `why` says when it is needed. */
export function required(env: Env, name: string, why: string): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(name, `is required${why === "" ? "" : ` ${why}`}`);
  return value;
}

/** One of `allowed`, or `fallback` when unset. @throws ConfigError otherwise */
export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")} (got "${raw}")`);
  }
  return raw as T;
}

/**
 * A whole number within `setting`'s bounds, or its default when unset (the one reader of numeric
 * variables). @throws ConfigError naming the variable otherwise
 */
export function wholeNumber(env: Env, name: string, setting: IntegerSetting): number {
  const raw = text(env, name);
  if (raw === undefined) return setting.default;
  return checkInteger(setting, /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN, name, raw);
}
