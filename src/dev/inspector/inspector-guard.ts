// Who may read the inspector's data and use its actions: requests from its own page carrying the dev token.
import type { IncomingHttpHeaders } from "node:http";
import { holdsDevToken, sentByAnotherSite } from "../rotate-guard.js";

/** Why a request is refused: no (or a wrong) dev token (401), or sent by another site (403). */
export type InspectorRefusal = { readonly status: 401; readonly error: "dev_token_required" } | { readonly status: 403; readonly error: "cross_origin_request" };

/**
 * Checks a data or action request: a browser marks another site's requests with
 * `Sec-Fetch-Site`, and cannot add the dev token header to them without a CORS preflight,
 * which the inspector never grants. The token is compared in constant time.
 */
export function inspectorRefusal(headers: IncomingHttpHeaders, devToken: string): InspectorRefusal | undefined {
  if (sentByAnotherSite(headers)) return { status: 403, error: "cross_origin_request" };
  if (!holdsDevToken(headers, devToken)) return { status: 401, error: "dev_token_required" };
  return undefined;
}
