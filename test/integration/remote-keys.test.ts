// Deliveries verified with keys from the provider flow: oidc-provider issues the token, a key
// endpoint checks it and serves keys; the service runs on a fake clock (no sleeps).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BASIC_SECRET, clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { KEY_RESOURCE, remoteKeyEnv, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startKeyEndpoint, type KeyEndpoint } from "../support/key-endpoint.js";
import { startTestService, type TestService } from "../support/service.js";
import { eventually } from "../replay/redis-test-support.js";

const KEY_1 = `k1_${randomBytes(24).toString("hex")}`;
const KEY_2 = `k2_${randomBytes(24).toString("hex")}`;

const jwtKeys = generateJwtKeys();
let as: AuthServer;
let endpoint: KeyEndpoint;
let service: TestService | undefined;
const clock = { value: Date.now(), now: () => clock.value };
const nowSeconds = (): number => Math.floor(clock.value / 1000);

beforeAll(async () => {
  as = await startAuthServer({ clients: clientRegistrations(jwtKeys) });
  endpoint = await startKeyEndpoint({ issuer: as.issuer, audience: KEY_RESOURCE });
});
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});
afterAll(() => Promise.all([as.close(), endpoint.close()]));

async function start(env: Record<string, string | undefined> = {}): Promise<TestService> {
  clock.value = Date.now();
  service = await startTestService(
    {
      ...remoteKeyEnv(as, endpoint.url, BASIC_SECRET),
      ...env,
    },
    { clock, register: (receiver) => receiver.on("*", () => undefined) },
  );
  return service;
}

const post = (target: TestService, secret: string): Promise<Response> => {
  const body = uniqueEvent();
  return target.post(body, chatgptHeaders(body, secret, nowSeconds()));
};

describe("remote keys over the client-credentials flow", () => {
  it("verifies 50 concurrent deliveries on cold caches with exactly one token and one key request", async () => {
    endpoint.reply({ body: { keys: [{ id: "k1", secret: KEY_1 }] } });
    const [tokensBefore, keysBefore] = [as.tokenRequests(), endpoint.requests()];
    const target = await start();
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(target, KEY_1)));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    expect(as.tokenRequests() - tokensBefore).toBe(1);
    expect(endpoint.requests() - keysBefore).toBe(1);
    expect(await (await fetch(`${target.url}/readyz`)).json()).toMatchObject({ status: "ready" });
    const logs = target.rawLogs();
    for (const secret of [KEY_1, BASIC_SECRET]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT (access token) anywhere
  });

  it("accepts a rotated key after one forced refresh; a forged flood then costs no key fetch", async () => {
    endpoint.reply({ body: { keys: [{ id: "k1", secret: KEY_1 }] } });
    const target = await start();
    expect((await post(target, KEY_1)).status).toBe(200);
    endpoint.reply({ body: { keys: [{ id: "k2", secret: KEY_2 }, { id: "k1", secret: KEY_1 }] } });
    const before = endpoint.requests();
    expect((await post(target, KEY_2)).status).toBe(200);
    expect(endpoint.requests() - before).toBe(1);
    // Within WEBHOOK_KEY_REFRESH_MIN_SECONDS of that refresh no mismatch can force another:
    // each is told to retry once a refresh is allowed again (503 with Retry-After), never 401.
    const flood = await Promise.all(Array.from({ length: 100 }, () => post(target, "forged-secret-0123456789abcdef")));
    expect(new Set(flood.map((response) => response.status))).toEqual(new Set([503]));
    expect(new Set(flood.map((response) => Number(response.headers.get("retry-after"))))).toEqual(new Set([10]));
    expect(endpoint.requests() - before).toBe(1);
  });

  it("keeps verifying from a warm cache when the provider goes down, within the stale window, while it tries to reload", async () => {
    endpoint.reply({ body: { secret: KEY_1 } });
    const target = await start({ WEBHOOK_KEY_CACHE_SECONDS: "60", WEBHOOK_KEY_STALE_SECONDS: "3600" });
    expect((await post(target, KEY_1)).status).toBe(200);
    endpoint.reply({ status: 500, body: "provider down" });
    const before = endpoint.requests();
    expect((await post(target, KEY_1)).status).toBe(200);
    expect(endpoint.requests()).toBe(before); // fresh: no reload
    clock.value += 120_000; // past the cache life: stale keys serve while reloads fail
    expect((await post(target, KEY_1)).status).toBe(200);
    // The delivery started a background reload: wait for the provider to see it (deadline 10 s).
    const reloaded = await eventually(() => Promise.resolve(endpoint.requests() > before), 10_000);
    expect(reloaded).toBe(true);
    expect((await post(target, KEY_1)).status).toBe(200);
    clock.value += 3_600_000; // past the stale window: nothing usable is left
    const response = await post(target, KEY_1);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "verification_key_unavailable" });
  });

  it("answers 503 verification_key_unavailable with Retry-After on a cold cache, and /readyz says why", async () => {
    endpoint.reply({ status: 500, body: "provider down" });
    const target = await start({ OPS_PORT: "0" }); // /readyz gives reasons on the ops listener only
    const response = await post(target, KEY_1);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "verification_key_unavailable" });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const ready = await fetch(`${target.opsUrl ?? ""}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: { keys: { ready: boolean; reason: string } } };
    expect(body.checks.keys.ready).toBe(false);
    expect(body.checks.keys.reason).toMatch(/key/);
  });

  it("authenticates with private_key_jwt from a PEM file named by CLIENT_PRIVATE_KEY_FILE", async () => {
    endpoint.reply({ body: { keys: [{ id: "k1", secret: KEY_1 }] } });
    const dir = mkdtempSync(join(tmpdir(), "cwr-pem-"));
    try {
      const keyFile = join(dir, "client.pem");
      writeFileSync(keyFile, jwtKeys.rsa, { mode: 0o600 });
      const target = await start({
        CLIENT_ID: "jwt-client",
        CLIENT_SECRET: undefined,
        CLIENT_AUTH_METHOD: "private_key_jwt",
        CLIENT_PRIVATE_KEY_FILE: keyFile,
        CLIENT_KEY_ID: "rsa-1",
      });
      expect((await post(target, KEY_1)).status).toBe(200);
      expect(target.rawLogs()).not.toContain(jwtKeys.rsa.split("\n")[1]!); // no line of the key
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gets no key with a token lacking webhooks:verify: the key endpoint refuses it and senders get 503", async () => {
    endpoint.reply({ body: { keys: [{ id: "k1", secret: KEY_1 }] } });
    const refusedBefore = endpoint.rejected();
    const target = await start({ TOKEN_SCOPES: "webhooks:read" });
    const response = await post(target, KEY_1);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "verification_key_unavailable" });
    expect(endpoint.rejected()).toBeGreaterThan(refusedBefore);
  });
});

/** A client-credentials token of basic-client from the test authorization server, for `scope`. */
async function tokenFor(scope: string): Promise<string> {
  const response = await fetch(as.tokenEndpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`basic-client:${BASIC_SECRET}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope, resource: KEY_RESOURCE }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("the tests' key endpoint (the resource server every remote-key test relies on)", () => {
  const keyRequest = (authorization?: string): Promise<number> =>
    fetch(endpoint.url, { headers: authorization === undefined ? {} : { authorization } }).then((response) => response.status);

  it("serves keys to a token with webhooks:verify, and refuses no token, a token without that scope, and a forged one", async () => {
    endpoint.reply({ body: { secret: KEY_1 } });
    expect(await keyRequest(`Bearer ${await tokenFor("webhooks:verify")}`)).toBe(200);
    expect(await keyRequest()).toBe(401);
    expect(await keyRequest(`Bearer ${await tokenFor("webhooks:read")}`)).toBe(401);
    // The same claims as a real token, signed with a key the authorization server never published.
    const real = decodeJwt(await tokenFor("webhooks:verify"));
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(real).setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: "at-signer" }).sign(privateKey);
    expect(await keyRequest(`Bearer ${forged}`)).toBe(401);
  });
});
