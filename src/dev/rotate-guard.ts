// Who may call the dev provider's POST /dev/rotate-key: holders of the dev token, never a web page.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The header carrying the dev token: a custom header, which no HTML form can send. */
export const DEV_TOKEN_HEADER = "x-dev-token";

/** A new random dev token (printed by `dev`, kept in its state folder). */
export function newDevToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Why a rotation request is refused (403), or `undefined` when it may rotate. */
export type RotateRefusal = "cross_origin_request" | "dev_token_required";

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/**
 * Checks a rotation request against cross-site request forgery: a browser sends `Origin` (and
 * `Sec-Fetch-Site`) with a cross-site POST, and cannot add a custom header without a CORS
 * preflight, which the provider never grants. So a request must carry no foreign origin, and the
 * dev token in {@link DEV_TOKEN_HEADER} (compared in constant time).
 */
export function rotateRefusal(headers: IncomingHttpHeaders, ownOrigin: string, devToken: string): RotateRefusal | undefined {
  const origin = headers.origin;
  const site = headers["sec-fetch-site"];
  if ((origin !== undefined && origin !== ownOrigin) || (site !== undefined && site !== "same-origin" && site !== "none")) {
    return "cross_origin_request";
  }
  const token = headers[DEV_TOKEN_HEADER];
  if (typeof token !== "string" || !timingSafeEqual(digest(token), digest(devToken))) return "dev_token_required";
  return undefined;
}
