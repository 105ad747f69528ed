// Pure retry arithmetic, the one backoff of the codebase: exponential growth, jitter, Retry-After parsing.

/**
 * The exponential wait before retry number `retry` (0 for the first): `baseMs * 2^retry`, at
 * most `maxMs`. Token retries add full jitter to it, Redis reconnects a little, key loads none.
 */
export function exponentialDelayMs(retry: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(retry, 30));
}

/**
 * Full-jitter backoff ("Exponential Backoff And Jitter", AWS Architecture Blog):
 * a uniform random wait in [0, min(maxMs, baseMs * 2^retry)).
 * @param retry - 0 for the first retry.
 * @param random - a number in [0, 1).
 */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * exponentialDelayMs(retry, baseMs, maxMs));
}

/**
 * Exponential backoff with light jitter: `exponentialDelayMs` less up to `fraction` of it, so
 * retries of events that failed together spread out, yet each still waits about its full delay
 * (queue job retries; full jitter could retry at once).
 * @param random - a number in [0, 1).
 */
export function lightJitterDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number, fraction = 0.2): number {
  return Math.round(exponentialDelayMs(retry, baseMs, maxMs) * (1 - random() * fraction));
}

/**
 * Parses `Retry-After` (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date.
 * @returns milliseconds to wait (0 or more), or `undefined` when absent or unparseable.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^[A-Za-z]/.test(trimmed)) return undefined; // HTTP-dates start with a day name; Date.parse("-3") is a year
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
