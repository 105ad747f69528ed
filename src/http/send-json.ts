// Writing a JSON answer in one writeHead + end, with the security headers, as the hot path wants.
import type { ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./security-headers.js";

/** Every answer's fixed headers as one flat [name, value, ...] list, built once. */
const FIXED_HEADERS: readonly string[] = [
  ...SECURITY_HEADERS.flat(),
  "Content-Type",
  "application/json; charset=utf-8",
  "Cache-Control",
  "no-store",
];

/**
 * The header list of an answer without Retry-After, reused: `writeHead` reads a list while it
 * serialises the head and keeps no reference, so only the Content-Length slot changes per answer.
 */
const PLAIN_HEADERS: string[] = [...FIXED_HEADERS, "Content-Length", "0"];
const LENGTH_SLOT = PLAIN_HEADERS.length - 1;

/**
 * Writes `body` as JSON with `status`; `retryAfterSeconds` adds Retry-After. When no header was
 * set before (the common case), all headers go to `writeHead` as one flat list: Node's fast path.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, retryAfterSeconds?: number): void {
  const payload = JSON.stringify(body);
  const length = String(Buffer.byteLength(payload));
  let headers: string[];
  if (retryAfterSeconds === undefined) {
    headers = PLAIN_HEADERS;
    headers[LENGTH_SLOT] = length;
  } else {
    headers = [...FIXED_HEADERS, "Content-Length", length, "Retry-After", String(retryAfterSeconds)];
  }
  if (res.getHeaderNames().length === 0) {
    res.writeHead(status, headers);
  } else {
    // Headers set earlier (e.g. RateLimit on a 429, Allow on a 405) are kept; ours win on conflicts.
    for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i] as string, headers[i + 1] as string);
    res.writeHead(status);
  }
  res.end(payload);
}
