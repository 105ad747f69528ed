// CLIENT_SECRET_FILE rotated in oidc-provider and on disk: the next token request (and so the next key
// fetch) uses the new secret after the old one is revoked; an invalid file keeps the current one.
import { randomBytes } from "node:crypto";
import { generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../replay/redis-test-support.js";
import { KEY_RESOURCE, remoteKeyEnv, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startKeyEndpoint, type KeyEndpoint } from "../support/key-endpoint.js";
import { createSecretVolume, type SecretVolume } from "../support/secret-volume.js";
import { startTestService, type TestService } from "../support/service.js";

const OLD_SECRET = `old-client-${randomBytes(16).toString("hex")}`;
const NEW_SECRET = `new-client-${randomBytes(16).toString("hex")}`;
const keyMaterial = (): string => `key_${randomBytes(24).toString("hex")}`;
const FILE = "client-secret";

const clock = { value: Date.now(), now: () => clock.value };
const nowSeconds = (): number => Math.floor(clock.value / 1000);
let signingKeys: Awaited<ReturnType<typeof generateKeyPair>>;
let as: AuthServer;
let endpoint: KeyEndpoint;
let volume: SecretVolume;
let service: TestService;

/** oidc-provider knowing `basic-client` by `secret` only, on `port` (0: a free one). */
function authServer(secret: string, port = 0): Promise<AuthServer> {
  const client = { client_id: "basic-client", client_secret: secret, token_endpoint_auth_method: "client_secret_basic" };
  return startAuthServer({ clients: [{ ...client, grant_types: ["client_credentials"], response_types: [], redirect_uris: [] }], port, signingKeys });
}

beforeAll(async () => {
  signingKeys = await generateKeyPair("RS256", { extractable: true });
  as = await authServer(OLD_SECRET);
  endpoint = await startKeyEndpoint({ issuer: as.issuer, audience: KEY_RESOURCE });
  volume = createSecretVolume({ [FILE]: `${OLD_SECRET}\n` });
  service = await startTestService(
    { ...remoteKeyEnv(as, endpoint.url, ""), CLIENT_SECRET: undefined, CLIENT_SECRET_FILE: volume.path(FILE) },
    { clock, register: (receiver) => receiver.on("*", () => undefined) },
  );
});
afterAll(async () => {
  await service.shutdown();
  await Promise.all([as.close(), endpoint.close()]);
  volume.remove();
});

const post = (secret: string): Promise<Response> => {
  const body = uniqueEvent();
  return service.post(body, chatgptHeaders(body, secret, nowSeconds()));
};
const logsWith = (msg: string): Array<Record<string, unknown>> => service.logs.filter((line) => line.msg === msg);

/** Serves a new key and moves past the token's and the keys' life: the next delivery needs a new token. */
function nextKey(): string {
  const key = keyMaterial();
  endpoint.reply({ body: { keys: [{ id: "k", secret: key }] } });
  clock.value += 3_601_000;
  return key;
}

describe("CLIENT_SECRET_FILE", () => {
  it("the next token request uses the rotated secret once oidc-provider revoked the old one", async () => {
    const first = nextKey();
    expect((await post(first)).status).toBe(200);

    // Rotate at the authorization server: the same port and signing key, only the new secret known.
    const port = Number(new URL(as.issuer).port);
    await as.close();
    as = await authServer(NEW_SECRET, port);
    volume.update({ [FILE]: `${NEW_SECRET}\n` });
    expect(await eventually(() => Promise.resolve(logsWith("secret file reloaded").length === 1), 10_000)).toBe(true);
    expect(logsWith("secret file reloaded")[0]).toMatchObject({ variable: "CLIENT_SECRET_FILE", level: 30 });

    const second = nextKey();
    const tokensBefore = as.tokenRequests();
    expect((await post(second)).status).toBe(200); // verifiable only with the key fetched with a new token
    expect(as.tokenRequests() - tokensBefore).toBe(1);
    expect(service.rawLogs()).not.toContain(NEW_SECRET);
    expect(service.rawLogs()).not.toContain(OLD_SECRET);
  });

  it("an invalid file keeps the current secret: logged at error without content, counted", async () => {
    const extra = `extra-${randomBytes(16).toString("hex")}`;
    volume.update({ [FILE]: `${NEW_SECRET}\n${extra}\n` });
    const invalid = "secret file invalid: the previous value stays";
    expect(await eventually(() => Promise.resolve(logsWith(invalid).length === 1), 10_000)).toBe(true);
    expect(logsWith(invalid)[0]).toMatchObject({ level: 50, variable: "CLIENT_SECRET_FILE", path: volume.path(FILE) });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('webhook_secret_reload_failures_total{variable="CLIENT_SECRET_FILE",reason="invalid"} 1');

    const third = nextKey();
    expect((await post(third)).status).toBe(200);
    expect(service.rawLogs()).not.toContain(extra);
    expect(service.rawLogs()).not.toContain(NEW_SECRET);
  });
});
