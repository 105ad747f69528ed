// The token provider against a real oidc-provider: the four client authentication methods, errors, retries.
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenProvider } from "../../src/oauth/token-provider.js";
import type { TokenProvider, TokenProviderOptions } from "../../src/oauth/index.js";
import { KEY_RESOURCE, startAuthServer } from "../support/auth-server.js";
import type { AuthServer } from "../support/auth-server.js";
import { generateTestCerts } from "../support/certs.js";
import type { TestCerts } from "../support/certs.js";
import { BASIC_SECRET, POST_SECRET, clientRegistrations, generateJwtKeys } from "./fixtures.js";
import type { JwtKeys } from "./fixtures.js";

let keys: JwtKeys;
let certs: TestCerts;
let as: AuthServer;
let mtls: AuthServer;
const providers: TokenProvider[] = [];

beforeAll(async () => {
  keys = generateJwtKeys();
  certs = generateTestCerts();
  as = await startAuthServer({ clients: clientRegistrations(keys) });
  mtls = await startAuthServer({
    clients: clientRegistrations(keys, true),
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert },
  });
});

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  await Promise.all([as.close(), mtls.close()]);
});

function provider(overrides: Partial<TokenProviderOptions> & Pick<TokenProviderOptions, "clientId" | "auth">): TokenProvider {
  const p = createTokenProvider({
    tokenEndpoint: as.tokenEndpoint,
    scopes: ["webhooks:verify"],
    audience: KEY_RESOURCE,
    sleep: () => Promise.resolve(),
    ...overrides,
  });
  providers.push(p);
  return p;
}

/** Reads the claims of a JWT access token without verifying it (the key endpoint tests verify). */
function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
}

describe("client authentication methods (succeeding)", () => {
  it("client_secret_basic", async () => {
    const token = await provider({ clientId: "basic-client", auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET } }).getToken();
    expect(claims(token)).toMatchObject({ client_id: "basic-client", aud: KEY_RESOURCE, scope: "webhooks:verify" });
  });

  it("client_secret_post", async () => {
    const token = await provider({ clientId: "post-client", auth: { method: "client_secret_post", clientSecret: POST_SECRET } }).getToken();
    expect(claims(token)).toMatchObject({ client_id: "post-client" });
  });

  it.each([
    ["RS256", "rsa", "rsa-1"],
    ["PS256", "rsa", "rsa-1"],
    ["ES256", "ec", "ec-1"],
    ["EdDSA", "ed", "ed-1"],
  ] as const)("private_key_jwt with %s", async (alg, key, keyId) => {
    const p = provider({ clientId: "jwt-client", auth: { method: "private_key_jwt", privateKeyPem: keys[key], keyId, alg } });
    expect(claims(await p.getToken())).toMatchObject({ client_id: "jwt-client" });
  });

  it("private_key_jwt with the issuer as assertion audience", async () => {
    const p = provider({
      clientId: "jwt-client",
      auth: { method: "private_key_jwt", privateKeyPem: keys.ec, alg: "ES256", assertionAudience: as.issuer },
    });
    await expect(p.getToken()).resolves.toMatch(/^ey/);
  });

  it("tls_client_auth (mTLS with a CA-signed client certificate)", async () => {
    const p = provider({
      tokenEndpoint: mtls.tokenEndpoint,
      clientId: "mtls-client",
      auth: { method: "tls_client_auth", certPem: certs.clientCert, keyPem: certs.clientKey, caPem: certs.caCert },
    });
    expect(claims(await p.getToken())).toMatchObject({ client_id: "mtls-client", aud: KEY_RESOURCE });
  });
});

describe("client authentication failures are typed and not retried", () => {
  const failing: [string, () => Parameters<typeof provider>[0]][] = [
    ["wrong secret", () => ({ clientId: "basic-client", auth: { method: "client_secret_basic", clientSecret: "wrong-secret" } })],
    ["wrong post secret", () => ({ clientId: "post-client", auth: { method: "client_secret_post", clientSecret: "wrong-secret" } })],
    ["unknown client", () => ({ clientId: "nobody", auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET } })],
    ["wrong key", () => ({ clientId: "jwt-client", auth: { method: "private_key_jwt", privateKeyPem: keys.otherRsa, alg: "RS256" } })],
  ];

  it.each(failing)("%s -> invalid_client, one request only", async (_name, options) => {
    const before = as.tokenRequests();
    await expect(provider(options()).getToken()).rejects.toMatchObject({ name: "TokenError", code: "token_request_rejected", error: "invalid_client", retryable: false });
    expect(as.tokenRequests() - before).toBe(1);
  });

  it("tls_client_auth with a certificate the server does not trust -> invalid_client", async () => {
    const p = provider({
      tokenEndpoint: mtls.tokenEndpoint,
      clientId: "mtls-client",
      auth: { method: "tls_client_auth", certPem: certs.rogueCert, keyPem: certs.rogueKey, caPem: certs.caCert },
    });
    await expect(p.getToken()).rejects.toMatchObject({ code: "token_request_rejected", error: "invalid_client" });
  });

  it("an unknown resource -> invalid_target", async () => {
    const p = provider({ clientId: "basic-client", audience: "https://elsewhere.test/", auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET } });
    await expect(p.getToken()).rejects.toMatchObject({ code: "token_request_rejected", error: "invalid_target", status: 400 });
  });

  it("a granted scope lacking a required one -> insufficient_scope", async () => {
    const p = provider({
      clientId: "basic-client",
      scopes: ["webhooks:verify", "webhooks:admin"],
      auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET },
    });
    await expect(p.getToken()).rejects.toMatchObject({ code: "insufficient_scope" });
  });
});

describe("retries against the real server", () => {
  it("retries 503 then 429 (Retry-After honoured) and succeeds", async () => {
    const delays: number[] = [];
    const p = provider({
      clientId: "basic-client",
      auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET },
      random: () => 0,
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    const before = as.tokenRequests();
    as.failNext({ status: 503 }, { status: 429, headers: { "retry-after": "2" } });
    await expect(p.getToken()).resolves.toMatch(/^ey/);
    expect(as.tokenRequests() - before).toBe(3);
    expect(delays).toEqual([0, 2000]);
  });

  it("gives up after maxRetries with token_request_failed", async () => {
    const p = provider({ clientId: "basic-client", maxRetries: 2, auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET } });
    const before = as.tokenRequests();
    as.failNext({ status: 500 }, { status: 502 }, { status: 504 });
    await expect(p.getToken()).rejects.toMatchObject({ code: "token_request_failed", status: 504, retryable: true });
    expect(as.tokenRequests() - before).toBe(3);
  });
});

describe("secrets never reach logs or metrics labels", () => {
  it("logs carry codes, never secrets, assertions or tokens", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "trace" }, { write: (line: string) => void lines.push(line) });
    const registry = new Registry();
    const ok = provider({ clientId: "basic-client", logger, registry, auth: { method: "client_secret_basic", clientSecret: BASIC_SECRET } });
    as.failNext({ status: 503 });
    const token = await ok.getToken();
    const jwt = provider({ clientId: "jwt-client", logger, auth: { method: "private_key_jwt", privateKeyPem: keys.otherRsa, alg: "RS256" } });
    const error = await jwt.getToken().catch((e: unknown) => e);
    const text = lines.join("\n") + JSON.stringify(error) + String(error) + (await registry.metrics());
    expect(lines.length).toBeGreaterThan(1);
    for (const secret of [BASIC_SECRET, token, keys.otherRsa.split("\n")[1] ?? "-", "client_assertion", "eyJ"]) {
      expect(text).not.toContain(secret);
    }
    expect(await registry.metrics()).toMatch(/webhook_token_requests_total\{outcome="server_error"\} 1/);
  });
});
