// Signers written apart from src/ (node:crypto directly, and the standardwebhooks package), so tests
// never check our verifier against our own signer alone.
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** chatgpt scheme: hex HMAC-SHA256 of `${t}.${body}` keyed with the secret's UTF-8 bytes. */
export function chatgptHeaders(body: Buffer | string, secret: string, timestamp = nowSeconds()): Record<string, string> {
  const digest = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${timestamp}.`).update(body).digest("hex");
  return { "x-chatgpt-timestamp": String(timestamp), "x-chatgpt-signature": `v1=${digest}` };
}

/** standard scheme, signed by the standardwebhooks package. */
export function standardHeaders(
  body: Buffer | string,
  secret: string,
  id: string,
  timestamp = nowSeconds(),
): Record<string, string> {
  const signature = new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
}
