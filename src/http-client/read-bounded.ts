// Reading a token or key endpoint's answer with a size cap: a huge answer is refused, never buffered.
import { WebhookError } from "../errors.js";

/** The code of {@link ResponseTooLargeError}. */
export const RESPONSE_TOO_LARGE = "response_too_large";

/** An answer's body is larger than the cap (declared, or counted while reading); the rest was not read. */
export class ResponseTooLargeError extends WebhookError {
  /** The cap that was exceeded, in bytes. */
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(RESPONSE_TOO_LARGE, `response exceeds ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads `response`'s body, at most `maxBytes`: a larger declared Content-Length is refused
 * before reading, and the stream is cancelled (its connection released) as soon as the bytes
 * read pass the cap.
 * @throws ResponseTooLargeError; errors of the body stream itself (network, abort) as they come
 */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<Buffer> {
  if (Number(response.headers.get("content-length") ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}

/** Statuses whose responses cannot carry a body (the Fetch standard's null body statuses). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The same answer with its body read through {@link readBoundedBody} and held in memory, for a
 * parser (oauth4webapi) that would otherwise read the body whole, however large.
 * @throws as {@link readBoundedBody}
 */
export async function boundedResponse(response: Response, maxBytes: number): Promise<Response> {
  const body = await readBoundedBody(response, maxBytes);
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
