// Answers that are synchronous when they can be (memory stores) and promises when not (Redis).

/** A value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Whether `value` is a promise or any other thenable. Answers of pluggable parts (stores,
 * counters) are tested this way, not with `instanceof Promise`, so a promise of another library
 * or realm is awaited rather than taken for a value.
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

/**
 * `onValue(value)` at once when `value` is plain, or once it resolves when it is a promise or any
 * other thenable (then as a native promise). `onError` takes only that asynchronous rejection:
 * a plain value cannot reject, and what `onValue` throws on the synchronous path is the caller's.
 */
export function thenMaybe<T, R>(
  value: T | PromiseLike<T>,
  onValue: (value: T) => R | Promise<R>,
  onError?: (error: unknown) => R | Promise<R>,
): R | Promise<R> {
  return isThenable(value) ? Promise.resolve(value).then(onValue, onError) : onValue(value);
}
