// Request signers of the generator, written against node:crypto directly (independent of src/).
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";

/** Returns the headers that sign `body` (content type included). */
export type Signer = (body: Buffer, id: string) => Record<string, string>;

const JSON_TYPE = { "content-type": "application/json" } as const;

function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

function hmac(key: KeyObject, prefix: string, body: Buffer): Buffer {
  return createHmac("sha256", key).update(prefix).update(body).digest();
}

/** The `chatgpt` scheme: `x-chatgpt-signature: v1=<hex HMAC(secret utf8, "${t}.${body}")>`. */
export function chatgptSigner(secret: string): Signer {
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  return (body, id) => {
    const timestamp = nowSeconds();
    return {
      ...JSON_TYPE,
      "x-chatgpt-timestamp": timestamp,
      "x-chatgpt-signature": `v1=${hmac(key, `${timestamp}.`, body).toString("hex")}`,
      "x-chatgpt-event-id": id,
    };
  };
}

/** Standard Webhooks: `webhook-signature: v1,<base64 HMAC(base64-decoded whsec, "${id}.${t}.${body}")>`. */
export function standardSigner(whsecSecret: string): Signer {
  const key = createSecretKey(Buffer.from(whsecSecret.replace(/^whsec_/, ""), "base64"));
  return (body, id) => {
    const timestamp = nowSeconds();
    return {
      ...JSON_TYPE,
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": `v1,${hmac(key, `${id}.${timestamp}.`, body).toString("base64")}`,
    };
  };
}

/** GitHub: `x-hub-signature-256: sha256=<hex HMAC(secret utf8, body)>`. */
export function githubSigner(secret: string): Signer {
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  return (body, id) => ({
    ...JSON_TYPE,
    "x-github-event": "push",
    "x-github-delivery": id,
    "x-hub-signature-256": `sha256=${hmac(key, "", body).toString("hex")}`,
  });
}
