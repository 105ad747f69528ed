// Who may read the inspector's data and use its actions: requests from its own page carrying the dev token.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { DEV_TOKEN_HEADER } from "../rotate-guard.js";

/** Why a request is refused: no (or a wrong) dev token (401), or sent by another site (403). */
export type InspectorRefusal = { readonly status: 401; readonly error: "dev_token_required" } | { readonly status: 403; readonly error: "cross_origin_request" };

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/**
 * Checks a data or action request: a browser marks another site's requests with
 * `Sec-Fetch-Site`, and cannot add {@link DEV_TOKEN_HEADER} to them without a CORS preflight,
 * which the inspector never grants. The token is compared in constant time.
 */
export function inspectorRefusal(headers: IncomingHttpHeaders, devToken: string): InspectorRefusal | undefined {
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return { status: 403, error: "cross_origin_request" };
  const token = headers[DEV_TOKEN_HEADER];
  if (typeof token !== "string" || !timingSafeEqual(digest(token), digest(devToken))) return { status: 401, error: "dev_token_required" };
  return undefined;
}
