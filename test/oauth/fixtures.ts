// Shared test fixtures: registered clients of the test authorization server and their credentials.
import { generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** Client secrets of the registered clients (long enough for oidc-provider). */
export const BASIC_SECRET = "basic-secret-0123456789abcdefghijklmnopqrstuvwxyz";
export const POST_SECRET = "post-secret-0123456789abcdefghijklmnopqrstuvwxyz";

/** PEM private keys used for private_key_jwt, made at test time. */
export interface JwtKeys {
  readonly rsa: string;
  readonly ec: string;
  readonly ed: string;
  /** An RSA key the server does not know. */
  readonly otherRsa: string;
  readonly publicJwks: Record<string, unknown>[];
}

/** Generates the assertion signing keys; the public halves go into the client registrations. */
export function generateJwtKeys(): JwtKeys {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ed = generateKeyPairSync("ed25519");
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = (key: KeyObject): string => key.export({ type: "pkcs8", format: "pem" }).toString();
  const jwk = (key: KeyObject, kid: string): Record<string, unknown> => ({ ...key.export({ format: "jwk" }), kid, use: "sig" });
  return {
    rsa: pem(rsa.privateKey),
    ec: pem(ec.privateKey),
    ed: pem(ed.privateKey),
    otherRsa: pem(other.privateKey),
    publicJwks: [jwk(rsa.publicKey, "rsa-1"), jwk(ec.publicKey, "ec-1"), jwk(ed.publicKey, "ed-1")],
  };
}

/** The clients of the test authorization server. */
export function clientRegistrations(keys: JwtKeys, withMtls = false): Record<string, unknown>[] {
  const base = { grant_types: ["client_credentials"], response_types: [], redirect_uris: [] };
  return [
    { ...base, client_id: "basic-client", client_secret: BASIC_SECRET, token_endpoint_auth_method: "client_secret_basic" },
    { ...base, client_id: "post-client", client_secret: POST_SECRET, token_endpoint_auth_method: "client_secret_post" },
    { ...base, client_id: "jwt-client", token_endpoint_auth_method: "private_key_jwt", jwks: { keys: keys.publicJwks } },
    ...(withMtls
      ? [{ ...base, client_id: "mtls-client", token_endpoint_auth_method: "tls_client_auth", tls_client_auth_subject_dn: "CN=webhook-client" }]
      : []),
  ];
}
