// Sync-or-async answers: a plain value is used at once, any thenable is waited for as a native promise.
import { describe, expect, it } from "vitest";
import { isThenable, thenMaybe } from "../../src/maybe-promise.js";

/** A thenable of another library: its `then` never returns a native promise. */
function foreign<T>(settle: (resolve: (value: T) => void, reject: (error: unknown) => void) => void): PromiseLike<T> {
  return {
    then(onValue, onError) {
      settle(
        (value) => void onValue?.(value),
        (error) => void onError?.(error),
      );
      return undefined as unknown as PromiseLike<never>;
    },
  };
}

describe("thenMaybe", () => {
  it("calls onValue at once with a plain value and returns its result, not a promise", () => {
    const seen: number[] = [];
    const result = thenMaybe(2, (value) => {
      seen.push(value);
      return value * 10;
    });
    expect(result).toBe(20);
    expect(seen).toEqual([2]);
    expect(isThenable(result)).toBe(false);
  });

  it("waits for a promise or another library's thenable and answers with a native promise", async () => {
    for (const value of [Promise.resolve(3), foreign<number>((resolve) => resolve(3))]) {
      const result = thenMaybe(value, (n) => n + 1);
      expect(result).toBeInstanceOf(Promise);
      expect(await result).toBe(4);
    }
  });

  it("hands an asynchronous rejection to onError, and leaves a synchronous throw of onValue to the caller", async () => {
    const failure = new Error("store down");
    expect(await thenMaybe(Promise.reject(failure), () => "value", (error) => `caught ${(error as Error).message}`)).toBe("caught store down");
    expect(await thenMaybe(foreign<string>((_resolve, reject) => reject(failure)), () => "value", () => "caught")).toBe("caught");
    expect(() =>
      thenMaybe(1, () => {
        throw failure;
      }, () => "caught"),
    ).toThrow(failure);
  });
});
