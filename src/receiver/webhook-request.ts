// What every adapter hands the core (one request, before its body is read) and gets back (one answer).
import type { DeliveryRejectedError } from "../errors.js";
import type { HeaderInput } from "../signature/headers.js";

/** The body of a request, as an adapter read it under the size limit. */
export type BodyRead =
  | { readonly kind: "read"; readonly body: Uint8Array }
  /** Too large, a length that does not match `Content-Length`, an unsupported encoding. */
  | { readonly kind: "rejected"; readonly error: DeliveryRejectedError }
  /** The sender went away before its whole body came: no verdict, no answer. */
  | { readonly kind: "gone" };

/** One request to the webhook path, from any adapter (Express, `node:http`, fetch). */
export interface WebhookRequest {
  readonly method: string;
  readonly headers: HeaderInput;
  /**
   * The client's rate-limit identity (its IP, IPv6 grouped by /56). `undefined` when the adapter
   * cannot know the client (a fetch handler without `clientAddress`): the per-client limits then
   * do not apply to it, rather than all unknown clients sharing one count.
   */
  readonly clientKey: string | undefined;
  /**
   * The client's address (IPv4 or IPv6), as the adapter knows it under its proxy rules, checked
   * against `allowedSourceIps`. `undefined` when the adapter cannot know it: with an allowlist,
   * such a request is refused (403 `forbidden_source`).
   */
  readonly clientAddress?: string | undefined;
  /** Reads the exact body bytes, refusing more than `limit` (called at most once). */
  readBody(limit: number): Promise<BodyRead>;
}

/** The answer to one request, for the adapter to write. */
export interface WebhookAnswer {
  readonly status: number;
  /** JSON: `{status, id}` on success, `{error, message}` on failure. */
  readonly body: Readonly<Record<string, string>>;
  readonly retryAfterSeconds: number | undefined;
  /** Headers beyond the fixed ones: `RateLimit` on a 429, `Allow` on a 405, `Connection: close` on an early 413. */
  readonly headers: Readonly<Record<string, string>> | undefined;
}
