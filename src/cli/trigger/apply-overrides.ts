// `trigger --set path=value`: dotted paths into the event, values read as JSON when they parse.
import { UsageError } from "../usage-error.js";

/** Segments that would reach an object's prototype instead of a field of the event. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === "object" && value !== null;

/** `3` -> 3, `true` -> true, `{"a":1}` -> an object, `resp_123` -> the string (it is not JSON). */
export function parseOverrideValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Splits `path=value` at the first `=`. @throws UsageError naming the flag when the shape is wrong */
export function parseOverride(flag: string): { readonly path: readonly string[]; readonly value: unknown } {
  const at = flag.indexOf("=");
  if (at <= 0) throw new UsageError(`--set needs path=value (got "${flag}")`);
  const path = flag.slice(0, at).split(".");
  const bad = path.find((segment) => segment === "" || FORBIDDEN_SEGMENTS.has(segment));
  if (bad !== undefined) throw new UsageError(`--set ${flag}: "${flag.slice(0, at)}" is not a dotted path of field names`);
  return { path, value: parseOverrideValue(flag.slice(at + 1)) };
}

function step(container: Container, segment: string, flag: string): { container: Container; key: string | number } {
  if (!Array.isArray(container)) return { container, key: segment };
  const index = /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
  if (!(index <= container.length)) throw new UsageError(`--set ${flag}: "${segment}" is not an index of that list (0 to ${container.length})`);
  return { container, key: index };
}

/**
 * Sets one `path=value` in `event` (changed in place): missing objects on the way are created,
 * a list takes an index up to its length (the length appends).
 * @throws UsageError when the path crosses a value that is not an object or a list
 */
export function applyOverride(event: Record<string, unknown>, flag: string): void {
  const { path, value } = parseOverride(flag);
  let current: Container = event;
  for (const [i, segment] of path.entries()) {
    const { container, key } = step(current, segment, flag);
    if (i === path.length - 1) {
      (container as Record<string | number, unknown>)[key] = value;
      return;
    }
    const next = Object.hasOwn(container, key) ? (container as Record<string | number, unknown>)[key] : undefined;
    if (next === undefined) {
      const created = {};
      (container as Record<string | number, unknown>)[key] = created;
      current = created;
    } else if (isContainer(next)) {
      current = next;
    } else {
      throw new UsageError(`--set ${flag}: ${path.slice(0, i + 1).join(".")} is ${JSON.stringify(next)}, not an object`);
    }
  }
}

/**
 * Applies every `--set` in order, then checks the envelope the receiver needs is still there.
 * @throws UsageError for a bad override, or when `id` or `type` is no longer a non-empty string
 */
export function applyOverrides(event: Record<string, unknown>, flags: readonly string[]): Record<string, unknown> {
  for (const flag of flags) applyOverride(event, flag);
  for (const field of ["id", "type"] as const) {
    const value = event[field];
    if (typeof value !== "string" || value === "") throw new UsageError(`--set left "${field}" not a non-empty string`);
  }
  return event;
}
