// The remote-key variables of README's table, read from the environment: defaults, every variable,
// each client authentication method's files, and one ConfigError naming each variable at fault.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "cwr-remote-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pem = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const KEY_PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEY_FILE = pem("client-key.pem", KEY_PEM);
// Contents are only read here, not parsed: distinct markers show which file went where.
const CERT_FILE = pem("client-cert.pem", "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----\n");
const CA_FILE = pem("ca.pem", "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n");
const CLIENT_SECRET = "remote-env-client-secret-0123456789";

/** The least a remote-key configuration needs (client_secret_basic). */
const BASE = {
  WEBHOOK_KEY_URL: "https://provider.example/v1/webhook-keys",
  TOKEN_ENDPOINT: "https://auth.example/oauth/token",
  CLIENT_ID: "client-1",
  CLIENT_SECRET,
};

function remote(env: Record<string, string | undefined>) {
  const { keys } = loadServiceConfig(env);
  if (keys.kind !== "remote") throw new Error("expected remote keys");
  return keys;
}

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected loadServiceConfig to throw");
}

describe("remote-key configuration from the environment", () => {
  it("applies the README defaults: cache 300 s, stale 3600 s, forced refresh every 10 s, scope webhooks:verify, basic auth", () => {
    expect(remote(BASE)).toMatchObject({
      kind: "remote",
      keyUrl: BASE.WEBHOOK_KEY_URL,
      cacheSeconds: 300,
      staleSeconds: 3600,
      refreshMinSeconds: 10,
      tokenEndpoint: BASE.TOKEN_ENDPOINT,
      clientId: "client-1",
      scopes: ["webhooks:verify"],
      audience: undefined,
      auth: { method: "client_secret_basic", clientSecret: CLIENT_SECRET },
    });
  });

  it("reads the cache, stale, refresh, scope and audience variables", () => {
    expect(
      remote({
        ...BASE,
        WEBHOOK_KEY_CACHE_SECONDS: "60",
        WEBHOOK_KEY_STALE_SECONDS: "0",
        WEBHOOK_KEY_REFRESH_MIN_SECONDS: "0",
        TOKEN_SCOPES: " webhooks:verify  webhooks:read ",
        TOKEN_AUDIENCE: "https://provider.example/",
      }),
    ).toMatchObject({
      cacheSeconds: 60,
      staleSeconds: 0,
      refreshMinSeconds: 0,
      scopes: ["webhooks:verify", "webhooks:read"],
      audience: "https://provider.example/",
    });
  });

  it.each([
    ["client_secret_basic", {}, { method: "client_secret_basic", clientSecret: CLIENT_SECRET }],
    ["client_secret_post", {}, { method: "client_secret_post", clientSecret: CLIENT_SECRET }],
    [
      "private_key_jwt",
      { CLIENT_PRIVATE_KEY_FILE: KEY_FILE },
      { method: "private_key_jwt", privateKeyPem: KEY_PEM, alg: "RS256", keyId: undefined, assertionAudience: undefined },
    ],
    [
      "private_key_jwt",
      { CLIENT_PRIVATE_KEY_FILE: KEY_FILE, CLIENT_KEY_ID: "kid-7", CLIENT_ASSERTION_ALG: "ES256", CLIENT_ASSERTION_AUDIENCE: "https://auth.example/" },
      { method: "private_key_jwt", privateKeyPem: KEY_PEM, alg: "ES256", keyId: "kid-7", assertionAudience: "https://auth.example/" },
    ],
    [
      "tls_client_auth",
      { CLIENT_CERT_FILE: CERT_FILE, CLIENT_KEY_FILE: KEY_FILE },
      { method: "tls_client_auth", certPem: expect.stringContaining("\ncert\n") as unknown, keyPem: KEY_PEM, caPem: undefined },
    ],
    [
      "tls_client_auth",
      { CLIENT_CERT_FILE: CERT_FILE, CLIENT_KEY_FILE: KEY_FILE, CA_FILE },
      { method: "tls_client_auth", certPem: expect.stringContaining("\ncert\n") as unknown, keyPem: KEY_PEM, caPem: expect.stringContaining("\nca\n") as unknown },
    ],
  ])("CLIENT_AUTH_METHOD=%s reads its variables and files (%j)", (method, extra, auth) => {
    expect(remote({ ...BASE, CLIENT_AUTH_METHOD: method, ...extra }).auth).toEqual(auth);
  });

  it.each([
    ["TOKEN_ENDPOINT", { TOKEN_ENDPOINT: undefined }],
    ["CLIENT_ID", { CLIENT_ID: undefined }],
    ["CLIENT_SECRET", { CLIENT_SECRET: undefined }],
    ["CLIENT_SECRET", { CLIENT_SECRET: undefined, CLIENT_AUTH_METHOD: "client_secret_post" }],
    ["CLIENT_AUTH_METHOD", { CLIENT_AUTH_METHOD: "client_secret_jwt" }],
    ["CLIENT_PRIVATE_KEY_FILE", { CLIENT_AUTH_METHOD: "private_key_jwt" }],
    ["CLIENT_PRIVATE_KEY_FILE", { CLIENT_AUTH_METHOD: "private_key_jwt", CLIENT_PRIVATE_KEY_FILE: join(dir, "missing.pem") }],
    ["CLIENT_ASSERTION_ALG", { CLIENT_AUTH_METHOD: "private_key_jwt", CLIENT_PRIVATE_KEY_FILE: KEY_FILE, CLIENT_ASSERTION_ALG: "HS256" }],
    ["CLIENT_CERT_FILE", { CLIENT_AUTH_METHOD: "tls_client_auth", CLIENT_KEY_FILE: KEY_FILE }],
    ["CLIENT_KEY_FILE", { CLIENT_AUTH_METHOD: "tls_client_auth", CLIENT_CERT_FILE: CERT_FILE }],
    ["CA_FILE", { CLIENT_AUTH_METHOD: "tls_client_auth", CLIENT_CERT_FILE: CERT_FILE, CLIENT_KEY_FILE: KEY_FILE, CA_FILE: join(dir, "missing-ca.pem") }],
    ["WEBHOOK_KEY_CACHE_SECONDS", { WEBHOOK_KEY_CACHE_SECONDS: "0" }],
    ["WEBHOOK_KEY_STALE_SECONDS", { WEBHOOK_KEY_STALE_SECONDS: "-1" }],
    ["WEBHOOK_KEY_REFRESH_MIN_SECONDS", { WEBHOOK_KEY_REFRESH_MIN_SECONDS: "ten" }],
  ])("names %s when it is missing or wrong (%j), never echoing the client secret", (variable, change) => {
    const error = configError({ ...BASE, ...change });
    expect(error.variable).toBe(variable);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });
});
