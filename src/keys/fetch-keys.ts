// One authenticated GET of the key endpoint: status mapping, bounded body read, JSON parsing.
import type { HttpFetch } from "../http-client/http-client.js";
import { readBoundedBody, ResponseTooLargeError } from "../http-client/read-bounded.js";
import { KeyEndpointError, KeyEndpointErrorCode } from "./errors.js";
import { parseMaxAgeSeconds } from "./cache-control.js";

/** Bodies larger than this are rejected (a key list is a few hundred bytes). */
export const MAX_KEY_RESPONSE_BYTES = 64 * 1024;

/** The raw result of one key request. */
export type KeyFetchResult =
  | { readonly kind: "ok"; readonly body: unknown; readonly maxAgeSeconds: number | undefined }
  | { readonly kind: "unauthorized" };

/**
 * GETs `url` with `Authorization: Bearer <token>`. A 401 is returned (not thrown) so the caller
 * can drop the token and retry once.
 * @throws KeyEndpointError `key_endpoint_http_error`, `key_endpoint_unreachable`,
 * `key_endpoint_timeout` or `invalid_key_response` (not JSON, or too large).
 */
export async function fetchKeys(fetch: HttpFetch, url: string, token: string, signal: AbortSignal): Promise<KeyFetchResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "GET",
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw new KeyEndpointError(KeyEndpointErrorCode.TIMEOUT, "key request timed out");
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new KeyEndpointError(KeyEndpointErrorCode.UNREACHABLE, `key endpoint unreachable${typeof code === "string" ? ` (${code})` : ""}`);
  }
  if (response.status === 401) {
    await response.body?.cancel().catch(() => undefined);
    return { kind: "unauthorized" };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new KeyEndpointError(KeyEndpointErrorCode.HTTP_ERROR, `key endpoint answered HTTP ${response.status}`, { status: response.status });
  }
  const text = await readBounded(response, signal);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new KeyEndpointError(KeyEndpointErrorCode.INVALID_RESPONSE, "key endpoint response is not JSON");
  }
  return { kind: "ok", body, maxAgeSeconds: parseMaxAgeSeconds(response.headers.get("cache-control")) };
}

async function readBounded(response: Response, signal: AbortSignal): Promise<string> {
  try {
    return (await readBoundedBody(response, MAX_KEY_RESPONSE_BYTES)).toString("utf8");
  } catch (error) {
    if (error instanceof ResponseTooLargeError) {
      throw new KeyEndpointError(KeyEndpointErrorCode.INVALID_RESPONSE, `key endpoint response exceeds ${MAX_KEY_RESPONSE_BYTES} bytes`);
    }
    const code = signal.aborted ? KeyEndpointErrorCode.TIMEOUT : KeyEndpointErrorCode.UNREACHABLE;
    throw new KeyEndpointError(code, "key endpoint response could not be read");
  }
}
