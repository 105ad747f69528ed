// The dev token and the checks of dev's protected endpoints (the provider's POST /dev/rotate-key, the inspector's API): holders of the token, never a web page.
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

/** Whether a browser marked the request as sent by another site (`Sec-Fetch-Site`). */
export function sentByAnotherSite(headers: IncomingHttpHeaders): boolean {
  const site = headers["sec-fetch-site"];
  return site !== undefined && site !== "same-origin" && site !== "none";
}

/** Whether the request carries `devToken` in {@link DEV_TOKEN_HEADER} (compared in constant time). */
export function holdsDevToken(headers: IncomingHttpHeaders, devToken: string): boolean {
  const token = headers[DEV_TOKEN_HEADER];
  return typeof token === "string" && timingSafeEqual(digest(token), digest(devToken));
}

/**
 * Checks a rotation request against cross-site request forgery: a browser sends `Origin` (and
 * `Sec-Fetch-Site`) with a cross-site POST, and cannot add a custom header without a CORS
 * preflight, which the provider never grants. So a request must carry no foreign origin, and the
 * dev token in {@link DEV_TOKEN_HEADER} (compared in constant time).
 */
export function rotateRefusal(headers: IncomingHttpHeaders, ownOrigin: string, devToken: string): RotateRefusal | undefined {
  const origin = headers.origin;
  if ((origin !== undefined && origin !== ownOrigin) || sentByAnotherSite(headers)) return "cross_origin_request";
  return holdsDevToken(headers, devToken) ? undefined : "dev_token_required";
}
