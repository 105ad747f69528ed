// Reading the exact body of a Node request (Express, node:http, Connect) under the size limit, with raw-body.
import type { IncomingMessage } from "node:http";
import getRawBody from "raw-body";
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import type { BodyRead } from "../receiver/webhook-request.js";

/** raw-body error types and the rejection each one means. */
const BODY_ERRORS: Readonly<Record<string, DeliveryRejectedError>> = {
  "entity.too.large": new DeliveryRejectedError(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than the limit"),
  "request.size.invalid": new DeliveryRejectedError(ErrorCode.INVALID_PAYLOAD, "body length does not match Content-Length"),
};

const GONE: BodyRead = { kind: "gone" };

/**
 * Whether the request has no sender left to answer, or no whole body to verify: the socket
 * closed or reset, the body was cut short, or the sender half-closed after its request. On a
 * half-close (FIN) Node ends the socket, so no answer can reach the sender: verifying would
 * count a verdict (and a failure against its limit) that nobody receives.
 */
function senderLeft(req: IncomingMessage, body: Buffer): boolean {
  if (!req.complete || req.socket.destroyed || !req.socket.writable) return true;
  const declared = req.headers["content-length"];
  return declared !== undefined && body.length !== Number(declared);
}

/**
 * Whether the body was read to its end by someone else while the sender is still there: a setup
 * mistake. A stream that is not readable because the sender left (its socket closed while the
 * request waited, e.g. for a Redis admission) is not one: that sender just gets no answer.
 */
function consumedByAnother(req: IncomingMessage): boolean {
  return req.readableEnded && !req.socket.destroyed && req.socket.writable;
}

/**
 * Reads `req`'s body: the bytes as received (never decoded or inflated), at most `limit`; a
 * declared `Content-Length` is checked against what arrives.
 * @throws Error when another parser already consumed the body (a setup mistake, answered 500)
 */
export async function readNodeBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  let body: Buffer;
  try {
    body = await getRawBody(req, { limit, length: req.headers["content-length"] });
  } catch (error) {
    const type = (error as { type?: unknown } | null)?.type;
    const rejection = typeof type === "string" ? BODY_ERRORS[type] : undefined;
    if (rejection !== undefined) return { kind: "rejected", error: rejection };
    if (type === "stream.not.readable" && consumedByAnother(req)) {
      // A parser before this route (a global express.json(), say) consumed the bytes: nothing is left to verify.
      throw new Error("the request body was read before the webhook route: mount the receiver before any body parser", { cause: error });
    }
    return GONE; // aborted, reset, or a stream error: the sender is gone
  }
  return senderLeft(req, body) ? GONE : { kind: "read", body };
}
