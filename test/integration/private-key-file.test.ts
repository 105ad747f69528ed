// CLIENT_PRIVATE_KEY_FILE replaced on disk: the next token request to oidc-provider signs its
// assertion with the new key; a key that does not fit CLIENT_ASSERTION_ALG keeps the current one.
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../src/config/env.js";
import { clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { eventually } from "../replay/redis-test-support.js";
import { KEY_RESOURCE, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { startReloadingKeySource } from "../support/client-auth-reload.js";
import { createSecretVolume, type SecretVolume } from "../support/secret-volume.js";

const keys = generateJwtKeys();
let as: AuthServer;
let volume: SecretVolume;
let stack: ReturnType<typeof startReloadingKeySource>;
const registry = new Registry();
const clock = { value: Date.now(), now: () => clock.value };

beforeAll(async () => {
  as = await startAuthServer({ clients: clientRegistrations(keys) });
  volume = createSecretVolume({ "client.key": keys.rsa });
  const config = loadServiceConfig({
    WEBHOOK_KEY_URL: "https://keys.invalid/v1/keys",
    TOKEN_ENDPOINT: as.tokenEndpoint,
    TOKEN_AUDIENCE: KEY_RESOURCE,
    CLIENT_ID: "jwt-client",
    CLIENT_AUTH_METHOD: "private_key_jwt",
    CLIENT_KEY_ID: "rsa-1",
    CLIENT_PRIVATE_KEY_FILE: volume.path("client.key"),
  });
  const logger = pino({ enabled: false });
  stack = startReloadingKeySource(config, { logger, registry, clock });
});
afterAll(async () => {
  await stack.close();
  await as.close();
  volume.remove();
});

async function counted(line: string): Promise<number> {
  const found = (await registry.metrics()).split("\n").find((row) => row.startsWith(line));
  return found === undefined ? 0 : Number(found.split(" ").at(-1));
}
/** A token request now (the cached token is past its life on the injected clock). */
function nextToken(): Promise<string> {
  clock.value += 3_601_000;
  return stack.keySource.tokens.getToken();
}

describe("CLIENT_PRIVATE_KEY_FILE", () => {
  it("signs the next assertion with the key now in the file, and refuses one unfit for the algorithm", async () => {
    await expect(nextToken()).resolves.toMatch(/^ey/);

    // A key the server does not know: refused there, which shows it was used.
    volume.update({ "client.key": keys.otherRsa });
    const reloads = 'webhook_secret_reloads_total{variable="CLIENT_PRIVATE_KEY_FILE"}';
    expect(await eventually(async () => (await counted(reloads)) === 1, 10_000)).toBe(true);
    await expect(nextToken()).rejects.toMatchObject({ code: "token_request_rejected", error: "invalid_client" });

    // An EC key with CLIENT_ASSERTION_ALG=RS256: refused here, the current key stays.
    volume.update({ "client.key": keys.ec });
    const refused = 'webhook_secret_reload_failures_total{variable="CLIENT_PRIVATE_KEY_FILE",reason="invalid"}';
    expect(await eventually(async () => (await counted(refused)) === 1, 10_000)).toBe(true);
    await expect(nextToken()).rejects.toMatchObject({ error: "invalid_client" });

    volume.update({ "client.key": keys.rsa });
    expect(await eventually(async () => (await counted(reloads)) === 2, 10_000)).toBe(true);
    await expect(nextToken()).resolves.toMatch(/^ey/);
  });
});
