// Writing a JSON answer in one writeHead + end, with the security headers, as the hot path wants.
import type { ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./security-headers.js";

/** Writes `body` as JSON with `status`; `retryAfterSeconds` adds Retry-After. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  retryAfterSeconds?: number,
): void {
  const payload = JSON.stringify(body);
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  if (retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(retryAfterSeconds));
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
  });
  res.end(payload);
}
