// The media type check: JSON only (`application/json` or `application/*+json`), UTF-8 if a charset is named.

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** Whether a Content-Type header value names JSON in UTF-8 (or no charset). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === "application/json") return true; // what senders send: skip the parse
  const [type = "", ...params] = value.split(";");
  if (!JSON_TYPE.test(type.trim().toLowerCase())) return false;
  for (const param of params) {
    const [name = "", raw = ""] = param.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = raw.trim().replace(/^"|"$/g, "").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}
