// Client authentication strategies: our options mapped onto oauth4webapi's ClientAuth functions.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { importPKCS8 } from "jose";
import * as oauth from "oauth4webapi";
import { ConfigError } from "../errors.js";
import type { ClientAuthOptions, PrivateKeyJwtAuth, TlsClientAuthOptions } from "./options.js";

/** The key type each assertion algorithm needs. */
const KEY_TYPES: Record<PrivateKeyJwtAuth["alg"], readonly string[]> = {
  RS256: ["rsa"],
  PS256: ["rsa", "rsa-pss"],
  ES256: ["ec"],
  EdDSA: ["ed25519"],
};

/**
 * Builds the oauth4webapi client authentication for one method (README, "Connecting to a real provider").
 * For `private_key_jwt` the PEM is checked now (so a bad key fails at start) and imported
 * into a non-extractable CryptoKey on first use; the assertion `aud` is `assertionAudience`
 * or the token endpoint, and `alg` is the configured one (oauth4webapi writes `Ed25519` for
 * Ed25519 keys; we send `EdDSA` as configured). For `tls_client_auth` only `client_id` goes in
 * the body: the certificate is on the Agent (see `createHttpClient`).
 * @throws ConfigError (`invalid_config`) naming `CLIENT_PRIVATE_KEY_FILE` when the key is unusable, or
 * `CLIENT_CERT_FILE` / `CLIENT_KEY_FILE` / `CA_FILE` when the TLS material is unreadable or mismatched.
 */
export function createClientAuth(auth: ClientAuthOptions, tokenEndpoint: string): oauth.ClientAuth {
  switch (auth.method) {
    case "client_secret_basic":
      return oauth.ClientSecretBasic(auth.clientSecret);
    case "client_secret_post":
      return oauth.ClientSecretPost(auth.clientSecret);
    case "tls_client_auth":
      checkTlsMaterial(auth);
      return oauth.TlsClientAuth();
    case "private_key_jwt":
      return privateKeyJwt(auth, tokenEndpoint);
  }
}

function privateKeyJwt(auth: PrivateKeyJwtAuth, tokenEndpoint: string): oauth.ClientAuth {
  const pkcs8 = toPkcs8Pem(auth);
  const audience = auth.assertionAudience ?? tokenEndpoint;
  const options: oauth.ModifyAssertionOptions = {
    [oauth.modifyAssertion]: (header, payload) => {
      header.alg = auth.alg;
      payload.aud = audience;
    },
  };
  let strategy: Promise<oauth.ClientAuth> | undefined;
  return async (as, client, body, headers) => {
    strategy ??= importPKCS8(pkcs8, auth.alg).then((key) =>
      oauth.PrivateKeyJwt(auth.keyId ? { key, kid: auth.keyId } : key, options),
    );
    const sign = await strategy;
    await sign(as, client, body, headers);
  };
}

/** Normalizes any PEM private key to PKCS#8 and checks it fits the algorithm (no key text in errors). */
function toPkcs8Pem(auth: PrivateKeyJwtAuth): string {
  let key;
  try {
    key = createPrivateKey(auth.privateKeyPem);
  } catch {
    throw new ConfigError("CLIENT_PRIVATE_KEY_FILE", "is not a readable PEM private key");
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (!KEY_TYPES[auth.alg].includes(key.asymmetricKeyType ?? "") || (auth.alg === "ES256" && curve !== "prime256v1")) {
    throw new ConfigError(
      "CLIENT_PRIVATE_KEY_FILE",
      `holds a ${key.asymmetricKeyType ?? "unknown"} key, which does not fit CLIENT_ASSERTION_ALG=${auth.alg}`,
    );
  }
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

/** Checks the mTLS certificate, key and CAs parse and belong together (no PEM text in errors). */
function checkTlsMaterial(auth: TlsClientAuthOptions): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(auth.certPem);
  } catch {
    throw new ConfigError("CLIENT_CERT_FILE", "is not a readable PEM certificate");
  }
  let key;
  try {
    key = createPrivateKey(auth.keyPem);
  } catch {
    throw new ConfigError("CLIENT_KEY_FILE", "is not a readable PEM private key");
  }
  if (!certificate.checkPrivateKey(key)) throw new ConfigError("CLIENT_KEY_FILE", "does not match the certificate of CLIENT_CERT_FILE");
  if (auth.caPem === undefined) return;
  try {
    new X509Certificate(auth.caPem); // the first certificate of the list must parse
  } catch {
    throw new ConfigError("CA_FILE", "is not a readable PEM certificate list");
  }
}
