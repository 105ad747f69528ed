// CLIENT_CERT_FILE / CLIENT_KEY_FILE replaced on disk (a Kubernetes ..data swap): the next token request
// to oidc-provider over mTLS presents the new certificate; a mismatched pair keeps the current one.
import { X509Certificate } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../src/config/env.js";
import { clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { eventually } from "../replay/redis-test-support.js";
import { KEY_RESOURCE, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { generateTestCerts, type TestCerts } from "../support/certs.js";
import { startReloadingKeySource } from "../support/client-auth-reload.js";
import { createSecretVolume, type SecretVolume } from "../support/secret-volume.js";

let certs: TestCerts;
let mtls: AuthServer;
let volume: SecretVolume;
let stack: ReturnType<typeof startReloadingKeySource>;
const logs: Array<Record<string, unknown>> = [];
const raw: string[] = [];
const clock = { value: Date.now(), now: () => clock.value };
const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

beforeAll(async () => {
  certs = generateTestCerts();
  mtls = await startAuthServer({
    clients: clientRegistrations(generateJwtKeys(), true),
    tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.caCert },
  });
  volume = createSecretVolume({ "tls.crt": certs.clientCert, "tls.key": certs.clientKey, "ca.crt": certs.caCert });
  const config = loadServiceConfig({
    WEBHOOK_KEY_URL: "https://keys.invalid/v1/keys",
    TOKEN_ENDPOINT: mtls.tokenEndpoint,
    TOKEN_AUDIENCE: KEY_RESOURCE,
    CLIENT_ID: "mtls-client",
    CLIENT_AUTH_METHOD: "tls_client_auth",
    CLIENT_CERT_FILE: volume.path("tls.crt"),
    CLIENT_KEY_FILE: volume.path("tls.key"),
    CA_FILE: volume.path("ca.crt"),
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      for (const line of chunk.toString().split("\n")) if (line.trim() !== "") logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const registry = new Registry();
  stack = startReloadingKeySource(config, { logger, registry, clock });
});
afterAll(async () => {
  await stack.close();
  await mtls.close();
  volume.remove();
});

/** A token request now (the cached token is past its life on the injected clock). */
async function nextTokenRequestCertificate(): Promise<string | undefined> {
  clock.value += 3_601_000;
  await stack.keySource.tokens.getToken();
  return mtls.tokenClientCertificates().at(-1);
}
const logsWith = (msg: string): Array<Record<string, unknown>> => logs.filter((line) => line.msg === msg);

describe("mTLS material from files", () => {
  it("presents the renewed certificate on the next token request after the files are swapped", async () => {
    expect(await nextTokenRequestCertificate()).toBe(fingerprint(certs.clientCert));
    volume.update({ "tls.crt": certs.renewedClientCert, "tls.key": certs.renewedClientKey, "ca.crt": certs.caCert });
    expect(await eventually(() => Promise.resolve(logsWith("secret file reloaded").length === 2), 10_000)).toBe(true);
    expect(logsWith("secret file reloaded").map((line) => line.variable).sort()).toEqual(["CLIENT_CERT_FILE", "CLIENT_KEY_FILE"]);
    expect(await nextTokenRequestCertificate()).toBe(fingerprint(certs.renewedClientCert));
  });

  it("keeps the current pair when the new key does not match the new certificate, logged without content", async () => {
    volume.update({ "tls.crt": certs.clientCert, "tls.key": certs.renewedClientKey, "ca.crt": certs.caCert });
    const invalid = "secret file invalid: the previous value stays";
    expect(await eventually(() => Promise.resolve(logsWith(invalid).length === 1), 10_000)).toBe(true);
    expect(logsWith(invalid)[0]).toMatchObject({ level: 50, variable: "CLIENT_KEY_FILE", path: volume.path("tls.key") });
    expect(await nextTokenRequestCertificate()).toBe(fingerprint(certs.renewedClientCert));
    const text = raw.join("");
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain("BEGIN CERTIFICATE");
  });
});
