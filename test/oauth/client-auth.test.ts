// Client authentication strategies: the private_key_jwt assertion's claims and header, and key checks.
import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import type * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { createClientAuth } from "../../src/oauth/client-auth.js";
import { isInsecureAllowed, isLoopbackHost } from "../../src/http-client/loopback.js";

const endpoint = "https://as.example.test/oauth/token";
const as: oauth.AuthorizationServer = { issuer: "https://as.example.test", token_endpoint: endpoint };
const client: oauth.Client = { client_id: "client-1" };

async function assertion(auth: Parameters<typeof createClientAuth>[0]): Promise<string> {
  const body = new URLSearchParams();
  await createClientAuth(auth, endpoint)(as, client, body, new Headers());
  expect(body.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  return body.get("client_assertion") ?? "";
}

describe("private_key_jwt (RFC 7523)", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

  it("iss = sub = client id, aud = token endpoint, unique jti, exp at most 5 minutes, configured alg and kid", async () => {
    const pem = rsa.export({ type: "pkcs1", format: "pem" }).toString(); // PKCS#1 is normalized too
    const first = await assertion({ method: "private_key_jwt", privateKeyPem: pem, alg: "PS256", keyId: "k1" });
    const second = await assertion({ method: "private_key_jwt", privateKeyPem: pem, alg: "PS256", keyId: "k1" });
    const claims = decodeJwt(first);
    expect(claims).toMatchObject({ iss: "client-1", sub: "client-1", aud: endpoint });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(300);
    expect(claims.jti).not.toBe(decodeJwt(second).jti);
    expect(decodeProtectedHeader(first)).toMatchObject({ alg: "PS256", kid: "k1" });
  });

  it("uses assertionAudience when set, and EdDSA as the alg of Ed25519 keys", async () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const jwt = await assertion({ method: "private_key_jwt", privateKeyPem: pem, alg: "EdDSA", assertionAudience: "https://as.example.test" });
    expect(decodeJwt(jwt).aud).toBe("https://as.example.test");
    expect(decodeProtectedHeader(jwt).alg).toBe("EdDSA");
  });

  it.each([
    ["not a key", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----", "RS256"],
    ["an RSA key for ES256", "rsa", "ES256"],
    ["a P-384 key for ES256", "p384", "ES256"],
  ] as const)("rejects %s at creation with a ConfigError naming the variable, without key text", (_name, key, alg) => {
    const pem =
      key === "rsa"
        ? rsa.export({ type: "pkcs8", format: "pem" }).toString()
        : key === "p384"
          ? generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString()
          : key;
    let error: unknown;
    try {
      createClientAuth({ method: "private_key_jwt", privateKeyPem: pem, alg }, endpoint);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "invalid_config", variable: "CLIENT_PRIVATE_KEY_FILE" });
    expect(String(error)).not.toContain(pem.split("\n")[1] ?? "-");
  });
});

describe("client secrets", () => {
  it("client_secret_basic form-encodes id and secret (RFC 6749 section 2.3.1)", async () => {
    const headers = new Headers();
    await createClientAuth({ method: "client_secret_basic", clientSecret: "a b:c" }, endpoint)(as, { client_id: "id:1" }, new URLSearchParams(), headers);
    const decoded = Buffer.from((headers.get("authorization") ?? "").replace(/^Basic /, ""), "base64").toString();
    expect(decoded).toBe("id%3A1:a+b%3Ac");
  });
});

describe("http:// only on loopback", () => {
  it.each(["localhost", "127.0.0.1", "127.1.2.3", "[::1]"])("%s is loopback", (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(["example.test", "10.0.0.1", "128.0.0.1", "localhost.evil.test"])("%s is not", (host) => expect(isLoopbackHost(host)).toBe(false));
  it("https never needs the insecure flag; http elsewhere needs the explicit option", () => {
    expect(isInsecureAllowed("https://as.example.test/token", false)).toBe(false);
    expect(isInsecureAllowed("http://127.0.0.1:8080/token", false)).toBe(true);
    expect(isInsecureAllowed("http://as.example.test/token", true)).toBe(true);
    expect(() => isInsecureAllowed("http://as.example.test/token", false)).toThrow(/TOKEN_ENDPOINT/);
  });
});
