// Bounds of every numeric setting, shared by the library options and the service's env parsing.
import { z } from "zod";
import { ConfigError } from "../errors.js";

/** An integer setting with its bounds and default. */
export interface IntegerSetting {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** Numeric settings, keyed by option name. */
export const INTEGER_SETTINGS = {
  toleranceSeconds: { min: 1, max: 86_400, default: 300 },
  maxBodyBytes: { min: 1, max: 100 * 1024 * 1024, default: 1_048_576 },
  handlerTimeoutMs: { min: 1, max: 3_600_000, default: 10_000 },
  replayMaxEntries: { min: 1, max: 100_000_000, default: 100_000 },
  replayRetentionSeconds: { min: 1, max: 31_536_000, default: 345_600 },
  rateLimitPerMinute: { min: 0, max: 1_000_000_000, default: 600 },
  rateLimitFailuresPerMinute: { min: 0, max: 1_000_000_000, default: 30 },
  workerConcurrency: { min: 0, max: 1_000, default: 8 },
  jobAttempts: { min: 1, max: 1_000, default: 10 },
  jobBackoffMs: { min: 1, max: 3_600_000, default: 1_000 },
  jobLockMs: { min: 1_000, max: 3_600_000, default: 30_000 },
} as const satisfies Record<string, IntegerSetting>;

/** The name of a numeric option. */
export type IntegerOption = keyof typeof INTEGER_SETTINGS;

/** A zod schema accepting a whole number within `setting`'s bounds. */
export function integerSchema(setting: IntegerSetting): z.ZodNumber {
  return z
    .number({ error: `must be a whole number from ${setting.min} to ${setting.max}` })
    .int({ error: `must be a whole number from ${setting.min} to ${setting.max}` })
    .min(setting.min, { error: `must be at least ${setting.min}` })
    .max(setting.max, { error: `must be at most ${setting.max}` });
}

/**
 * The one integer check of every numeric setting, for library options and env variables alike.
 * @param shown - the raw text to quote in the error (env values; never a secret)
 * @throws ConfigError naming `name` when `value` is not a whole number within `setting`'s bounds
 */
export function checkInteger(setting: IntegerSetting, value: unknown, name: string, shown?: string): number {
  const parsed = integerSchema(setting).safeParse(value);
  if (parsed.success) return parsed.data;
  const why = parsed.error.issues[0]?.message ?? "is invalid";
  throw new ConfigError(name, shown === undefined ? why : `${why} (got "${shown}")`);
}
