// The request headers as the inspector shows them: signature values shortened, credentials never shown.
import type { HeaderInput } from "../../signature/headers.js";

/** Headers whose value is a signature: each entry is cut to its first characters. */
const SIGNATURE_HEADERS = new Set(["x-chatgpt-signature", "webhook-signature"]);
/** Headers that may carry a credential: their value is never shown. */
const HIDDEN_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-dev-token"]);
/** Characters of a signature value kept. */
const KEPT = 8;
export const HIDDEN = "[hidden]";

/** One signature header value, each entry (`v1=...`, `v1,...`) cut after {@link KEPT} characters of its value. */
export function shortenSignature(value: string): string {
  return value
    .split(/([\s,]+)/)
    .map((part) => {
      const match = /^(v\d+[a-z]*[=,])?(.+)$/.exec(part);
      if (match === null || /^[\s,]+$/.test(part)) return part;
      const [, version = "", signature = ""] = match;
      return signature.length > KEPT ? `${version}${signature.slice(0, KEPT)}…` : part;
    })
    .join("");
}

function entries(headers: HeaderInput): Array<[string, string]> {
  if (typeof (headers as { forEach?: unknown }).forEach === "function" && typeof (headers as { get?: unknown }).get === "function") {
    const pairs: Array<[string, string]> = [];
    (headers as unknown as { forEach(fn: (value: string, name: string) => void): void }).forEach((value, name) => pairs.push([name, value]));
    return pairs;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  return Object.entries(record)
    .filter((pair): pair is [string, string | readonly string[]] => pair[1] !== undefined)
    .map(([name, value]) => [name, typeof value === "string" ? value : value.join(", ")]);
}

/** The headers to show, names lower-cased and sorted: signatures shortened, credentials hidden. */
export function shownHeaders(headers: HeaderInput): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [rawName, value] of entries(headers).sort(([a], [b]) => a.localeCompare(b))) {
    const name = rawName.toLowerCase();
    shown[name] = HIDDEN_HEADERS.has(name) ? HIDDEN : SIGNATURE_HEADERS.has(name) ? shortenSignature(value) : value;
  }
  return shown;
}
