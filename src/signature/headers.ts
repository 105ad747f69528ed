// Reading request headers the same way from Node, Express, fetch and plain objects.

/** Incoming headers: Node's lower-cased `IncomingHttpHeaders`, a plain record, or a fetch `Headers`. */
export type HeaderInput =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/**
 * One header's value, or `undefined` when absent. A repeated header (an array) is joined with
 * ", " as Node joins repeated headers, so parsing sees every value and rejects ambiguity.
 */
export function getHeader(headers: HeaderInput, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  // Node's keys are lower-case already; other records may not be (scanned only for a name not found).
  const value = record[name] ?? findCaseInsensitive(record, name);
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.join(", ");
}

function findCaseInsensitive(
  record: Readonly<Record<string, string | readonly string[] | undefined>>,
  name: string,
): string | readonly string[] | undefined {
  for (const key in record) {
    if (key.length === name.length && key.toLowerCase() === name) return record[key];
  }
  return undefined;
}
