// One POST to the internal service over the pooled client: bounded in time and in the answer read.
import type { HttpFetch } from "../http-client/http-client.js";
import { readBoundedBody, ResponseTooLargeError } from "../http-client/read-bounded.js";

/** The most of an internal service's answer we read (and discard) to reuse its connection. */
export const FORWARD_RESPONSE_MAX_BYTES = 65_536;

/** What the internal service answered. */
export interface ForwardResponse {
  readonly status: number;
  readonly retryAfter: string | null;
}

/** How a send failed before an answer: the timeout, the handler's own signal, or the network. */
export type SendFailure = "timeout" | "aborted" | "network_error";

/** A send that got no answer. */
export class SendFailedError extends Error {
  readonly failure: SendFailure;

  constructor(failure: SendFailure, options?: ErrorOptions) {
    super(`forward request failed: ${failure}`, options);
    this.name = "SendFailedError";
    this.failure = failure;
  }
}

/**
 * POSTs `body` with `headers` to `url`, at most `timeoutMs` for the answer and its body, and
 * reads at most {@link FORWARD_RESPONSE_MAX_BYTES} of the answer (a larger one is cut off: only
 * the status matters).
 * @throws SendFailedError when no answer came (timeout, `signal` aborted, network error)
 */
export async function sendForward(
  fetch: HttpFetch,
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ForwardResponse> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.any([timeout, signal]) });
    await readBoundedBody(response, FORWARD_RESPONSE_MAX_BYTES).catch((error: unknown) => {
      if (!(error instanceof ResponseTooLargeError)) throw error;
    });
    return { status: response.status, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    throw new SendFailedError(timeout.aborted ? "timeout" : signal.aborted ? "aborted" : "network_error", { cause: error });
  }
}
