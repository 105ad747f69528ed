// Reading the exact body of a fetch `Request` under the size limit, stopping as soon as it is passed.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import type { BodyRead } from "../receiver/webhook-request.js";

const TOO_LARGE: BodyRead = {
  kind: "rejected",
  error: new DeliveryRejectedError(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit"),
};

/**
 * Reads `request.body` chunk by chunk and cancels the stream once more than `limit` bytes came
 * (a declared `Content-Length` over the limit was refused before any read). A stream that fails
 * (the client went away) reads as `gone`.
 */
export async function readFetchBody(request: Request, limit: number): Promise<BodyRead> {
  const stream = request.body;
  if (stream === null) return { kind: "read", body: new Uint8Array(0) };
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return TOO_LARGE;
      }
      chunks.push(next.value);
    }
  } catch {
    return { kind: "gone" };
  }
  return { kind: "read", body: chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks) };
}
