// Pure parsing of the key endpoint's Cache-Control header (RFC 9111 section 5.2).

/**
 * The `max-age` in seconds, or `undefined` when the header has none (then the configured
 * `WEBHOOK_KEY_CACHE_SECONDS` applies). `no-store` / `no-cache` count as `max-age=0`; the caller
 * still keeps the keys for a short floor so the hot path stays synchronous.
 */
export function parseMaxAgeSeconds(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  let maxAge: number | undefined;
  for (const part of header.split(",")) {
    const [rawName = "", rawValue] = part.split("=", 2);
    const name = rawName.trim().toLowerCase();
    if (name === "no-store" || name === "no-cache") return 0;
    if (name === "max-age" && rawValue !== undefined) {
      const value = rawValue.trim().replace(/^"|"$/g, "");
      if (/^\d{1,10}$/.test(value)) maxAge = Number(value);
    }
  }
  return maxAge;
}
