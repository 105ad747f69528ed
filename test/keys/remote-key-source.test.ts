// The remote key source against a real oidc-provider and a key endpoint that checks the bearer JWT.
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DeliveryFailedError } from "../../src/errors.js";
import { createRemoteKeySource } from "../../src/keys/remote-key-source.js";
import type { RemoteKeySource } from "../../src/keys/remote-key-source.js";
import type { RemoteKeySourceOptions } from "../../src/keys/remote-key-options.js";
import { createTokenProvider } from "../../src/oauth/index.js";
import type { TokenProvider } from "../../src/oauth/index.js";
import { KEY_RESOURCE, startAuthServer } from "../support/auth-server.js";
import type { AuthServer } from "../support/auth-server.js";
import { startKeyEndpoint } from "../support/key-endpoint.js";
import type { KeyEndpoint } from "../support/key-endpoint.js";
import { BASIC_SECRET, clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";

let as: AuthServer;
let endpoint: KeyEndpoint;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  as = await startAuthServer({ clients: clientRegistrations(generateJwtKeys()) });
  endpoint = await startKeyEndpoint({ issuer: as.issuer, audience: KEY_RESOURCE });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
  endpoint.reply({ body: { secret: "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy" } });
});
afterAll(async () => Promise.all([as.close(), endpoint.close()]));

interface Setup {
  readonly source: RemoteKeySource;
  readonly tokens: TokenProvider;
  readonly now: { value: number };
  readonly registry: Registry;
  readonly logs: string[];
}

function setup(overrides: Partial<RemoteKeySourceOptions> = {}, clientSecret = BASIC_SECRET): Setup {
  const now = { value: Date.now() };
  const clock = { now: () => now.value };
  const registry = new Registry();
  const logs: string[] = [];
  const logger = pino({ level: "trace" }, { write: (line: string) => void logs.push(line) });
  const tokens = createTokenProvider({
    tokenEndpoint: as.tokenEndpoint,
    clientId: "basic-client",
    scopes: ["webhooks:verify"],
    audience: KEY_RESOURCE,
    auth: { method: "client_secret_basic", clientSecret },
    clock,
    logger,
    registry,
    maxRetries: 0,
  });
  const source = createRemoteKeySource({ keyUrl: endpoint.url, tokenProvider: tokens, clock, logger, registry, ...overrides });
  opened.push(source, tokens);
  return { source, tokens, now, registry, logs };
}

const counts = (): { token: number; key: number } => ({ token: as.tokenRequests(), key: endpoint.requests() });

describe("loading and caching", () => {
  it("50 concurrent getKeys on cold caches: one token request, one key request; then served from the cache", async () => {
    const { source } = setup();
    const before = counts();
    const results = await Promise.all(Array.from({ length: 50 }, () => Promise.resolve(source.getKeys())));
    expect(results.every((keys) => keys[0]?.secret === "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy")).toBe(true);
    expect(counts()).toEqual({ token: before.token + 1, key: before.key + 1 });
    expect((await source.getKeys())[0]?.secret).toBe("whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy");
    expect(counts()).toEqual({ token: before.token + 1, key: before.key + 1 });
  });

  it("honours max-age, then serves stale without waiting for the one background reload", async () => {
    endpoint.reply({ body: { keys: [{ id: "k1", secret: "s1-secret-0123456789" }] }, cacheControl: "max-age=60" });
    const { source, now } = setup();
    await source.warmUp();
    const before = endpoint.requests();
    now.value += 59_000;
    expect(await source.getKeys()).toEqual([{ id: "k1", secret: "s1-secret-0123456789" }]);
    expect(endpoint.requests()).toBe(before);
    endpoint.reply({ body: { keys: [{ id: "k2", secret: "s2-secret-0123456789" }] } });
    now.value += 2_000;
    // Had getKeys waited for the reload, these would be k2.
    expect(await source.getKeys()).toEqual([{ id: "k1", secret: "s1-secret-0123456789" }]);
    expect(await source.getKeys()).toEqual([{ id: "k1", secret: "s1-secret-0123456789" }]);
    await expect(source.warmUp()).resolves.toBe(true); // joins the single in-flight reload
    expect(endpoint.requests()).toBe(before + 1);
    expect(source.getKeys()).toEqual([{ id: "k2", secret: "s2-secret-0123456789" }]);
  });

  it("uses cacheSeconds without max-age, and never caches past a key's expires_at", async () => {
    const { source, now } = setup({ cacheSeconds: 120 });
    endpoint.reply({ body: { keys: [{ id: "a", secret: "sa-secret-0123456789", expires_at: new Date(now.value + 30_000).toISOString() }, { id: "b", secret: "sb-secret-0123456789" }] } });
    await source.warmUp();
    const before = endpoint.requests();
    now.value += 29_000;
    expect(source.getKeys()).toHaveLength(2);
    now.value += 2_000; // "a" expired: a reload starts, and the stale answer omits "a"
    endpoint.reply({ body: { keys: [{ id: "b", secret: "sb-secret-0123456789" }] } });
    expect(source.getKeys()).toEqual([{ id: "b", secret: "sb-secret-0123456789" }]);
    await source.warmUp();
    expect(endpoint.requests()).toBe(before + 1);
  });
});

describe("forced refresh after a signature mismatch", () => {
  it("accepts a rotated key after one refresh", async () => {
    const { source } = setup();
    await source.getKeys();
    endpoint.reply({ body: { keys: [{ id: "new", secret: "whsec_cm90YXRlZC1rZXktbWF0ZXJpYWwtMDEy" }] } });
    await expect(source.refreshAfterMismatch()).resolves.toEqual([{ id: "new", secret: "whsec_cm90YXRlZC1rZXktbWF0ZXJpYWwtMDEy" }]);
    expect(source.getKeys()).toEqual([{ id: "new", secret: "whsec_cm90YXRlZC1rZXktbWF0ZXJpYWwtMDEy" }]);
  });

  it("a flood of mismatches causes at most one extra key fetch per refreshMinSeconds", async () => {
    const { source, now } = setup({ refreshMinSeconds: 10 });
    await source.getKeys();
    const before = endpoint.requests();
    await Promise.allSettled(Array.from({ length: 100 }, () => source.refreshAfterMismatch()));
    for (let i = 0; i < 100; i++) await source.refreshAfterMismatch().catch(() => undefined);
    expect(endpoint.requests()).toBe(before + 1);
    now.value += 10_000;
    await expect(source.refreshAfterMismatch()).resolves.toBeDefined();
    expect(endpoint.requests()).toBe(before + 2);
  });
});

describe("provider failures", () => {
  it("a 401 from the key endpoint drops the token and retries once with a new one", async () => {
    const { source, now } = setup();
    await source.getKeys();
    endpoint.revokeSeenTokens();
    const before = { ...counts(), rejected: endpoint.rejected() };
    now.value += 301_000;
    await expect(source.refreshAfterMismatch()).resolves.toEqual([{ secret: "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy" }]);
    expect(counts()).toEqual({ token: before.token + 1, key: before.key + 2 });
    expect(endpoint.rejected()).toBe(before.rejected + 1);
  });

  it("a 401 to the fresh token too ends with key_endpoint_unauthorized (no loop)", async () => {
    let invalidations = 0;
    const tokens = { getToken: () => Promise.resolve("not-a-valid-token"), invalidate: () => void invalidations++ };
    const source = createRemoteKeySource({ keyUrl: endpoint.url, tokenProvider: tokens });
    opened.push(source);
    const before = endpoint.requests();
    await expect(source.warmUp()).resolves.toBe(false);
    expect(endpoint.requests() - before).toBe(2);
    expect(invalidations).toBe(2);
    expect(source.readiness()).toEqual({ ready: false, reason: expect.stringContaining("key_endpoint_unauthorized") as string });
  });

  it("provider down with a warm cache: stale keys keep serving up to staleSeconds, then 503", async () => {
    const { source, now } = setup({ cacheSeconds: 300, staleSeconds: 3600 });
    await source.getKeys();
    endpoint.reply({ status: 503, body: {} });
    now.value += 300_000 + 3_000_000;
    expect(source.getKeys()).toEqual([{ secret: "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy" }]);
    await source.warmUp();
    expect(source.readiness().ready).toBe(true);
    now.value += 700_000;
    const error = await Promise.resolve(source.getKeys()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(error).toMatchObject({ code: "verification_key_unavailable" });
    expect(source.readiness()).toMatchObject({ ready: false });
  });

  it("cold cache and provider down: verification_key_unavailable with Retry-After, and no fetch before it", async () => {
    endpoint.reply({ status: 503, body: {} });
    const { source, now } = setup();
    expect(source.readiness()).toEqual({ ready: false, reason: expect.stringContaining("no verification key obtained") as string });
    const first = await Promise.resolve(source.getKeys()).catch((e: unknown) => e);
    expect(first).toMatchObject({ name: "DeliveryFailedError", code: "verification_key_unavailable", retryAfterSeconds: 1 });
    const before = endpoint.requests();
    const second = await Promise.resolve(source.getKeys()).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: "verification_key_unavailable", retryAfterSeconds: 1 });
    expect(endpoint.requests()).toBe(before);
    expect(source.readiness().reason).toContain("key_endpoint_http_error");
    endpoint.reply({ body: { secret: "whsec_YmFjay1rZXktbWF0ZXJpYWwtMDEyMzQ1" } });
    now.value += 1_000;
    await expect(source.getKeys()).resolves.toEqual([{ secret: "whsec_YmFjay1rZXktbWF0ZXJpYWwtMDEyMzQ1" }]);
    expect(source.readiness()).toEqual({ ready: true });
  });

  it("no token obtainable (invalid_client): 503 and a token_error metric", async () => {
    const { source, registry } = setup({}, "wrong-secret");
    await expect(Promise.resolve(source.getKeys())).rejects.toMatchObject({ code: "verification_key_unavailable" });
    expect(await registry.metrics()).toMatch(/webhook_key_fetches_total\{outcome="token_error"\} 1/);
  });

  it("a hostile body is rejected and the last good keys are kept", async () => {
    const { source, registry } = setup();
    await source.getKeys();
    for (const body of ["[1,2,3]", '{"keys": "all"}', "not json", { secret: { $gt: "" } }]) {
      endpoint.reply({ body });
      await source.warmUp();
    }
    expect(source.getKeys()).toEqual([{ secret: "whsec_aW5pdGlhbC1rZXktbWF0ZXJpYWwtMDEy" }]);
    expect(await registry.metrics()).toMatch(/webhook_key_fetches_total\{outcome="invalid_response"\} [1-9]/);
  });
});

describe("secrets stay out of logs", () => {
  it("logs name keys by id and never carry secrets or tokens", async () => {
    endpoint.reply({ body: { keys: [{ id: "kid-1", secret: "whsec_c3VwZXJfc2VjcmV0X3ZhbHVlLWtleS1t" }] } });
    const { source, tokens, logs } = setup();
    await source.getKeys();
    const token = await tokens.getToken();
    endpoint.revokeSeenTokens();
    endpoint.reply({ status: 500, body: {} });
    await source.warmUp();
    const text = logs.join("\n");
    expect(text).toContain("kid-1");
    for (const secret of ["whsec_c3VwZXJfc2VjcmV0X3ZhbHVlLWtleS1t", token, BASIC_SECRET, "eyJ"]) expect(text).not.toContain(secret);
  });
});

const KEY_A = "whsec_a2V5LWEtbWF0ZXJpYWwtMDEyMzQ1Njc4OQ==";
const KEY_B = "whsec_a2V5LWItbWF0ZXJpYWwtMDEyMzQ1Njc4OQ==";
/** What `call` fails with (thrown at once or rejected), or "no error". */
const failure = (call: () => unknown): Promise<unknown> =>
  Promise.resolve()
    .then(call)
    .then(
      () => "no error",
      (error: unknown) => error,
    );

describe("revocation: a well-formed answer with no current key is authoritative", () => {
  it.each([
    ["an empty list", { keys: [] }],
    ["only expired keys", { keys: [{ id: "old", secret: KEY_A, expires_at: "2020-01-01T00:00:00Z" }] }],
  ])("%s replaces the cache: 503 verification_key_unavailable, not ready, until keys return", async (_name, body) => {
    endpoint.reply({ body: { keys: [{ id: "a", secret: KEY_A }] } });
    const { source, now } = setup({ cacheSeconds: 300, staleSeconds: 3600, refreshMinSeconds: 10 });
    await source.getKeys();
    endpoint.reply({ body });
    now.value += 301_000;
    await expect(source.warmUp()).resolves.toBe(true);
    expect(await failure(() => source.getKeys())).toMatchObject({ code: "verification_key_unavailable", retryAfterSeconds: 10 });
    expect(await failure(() => source.refreshAfterMismatch())).toMatchObject({ code: "verification_key_unavailable" });
    expect(source.readiness()).toEqual({ ready: false, reason: expect.stringContaining("no current verification key") as string });
    endpoint.reply({ body: { keys: [{ id: "b", secret: KEY_B }] } });
    now.value += 10_000; // asked again after the forced-refresh gap, not after the whole cache life
    await expect(Promise.resolve(source.getKeys())).resolves.toEqual([{ id: "b", secret: KEY_B }]);
    expect(source.readiness()).toEqual({ ready: true });
  });

  it("malformed key material (a 0-byte whsec_ key) is refused and never replaces the good keys", async () => {
    endpoint.reply({ body: { keys: [{ id: "a", secret: KEY_A }] } });
    const { source, logs } = setup();
    await source.getKeys();
    for (const secret of ["whsec_", "whsec_!!!!", "short"]) {
      endpoint.reply({ body: { secret } });
      await expect(source.warmUp()).resolves.toBe(false);
      expect(source.getKeys()).toEqual([{ id: "a", secret: KEY_A }]);
    }
    expect(logs.filter((line) => line.includes("invalid_key_response")).length).toBeGreaterThanOrEqual(3);
  });
});

describe("stale serving covers outages only", () => {
  it.each([
    [503, true],
    [429, true],
    [500, true],
    [403, false],
    [404, false],
  ])("after a %i from the key endpoint, cached keys serve past their life: %s", async (status, serves) => {
    endpoint.reply({ body: { keys: [{ id: "a", secret: KEY_A }] } });
    const { source, now } = setup({ cacheSeconds: 300, staleSeconds: 3600 });
    await source.getKeys();
    endpoint.reply({ status, body: {} });
    now.value += 301_000;
    await source.warmUp(); // the reload fails with that status
    const answer = await failure(() => source.getKeys());
    if (serves) {
      expect(answer).toBe("no error");
      expect(source.readiness().ready).toBe(true);
    } else {
      expect(answer).toMatchObject({ code: "verification_key_unavailable" });
      expect(source.readiness().ready).toBe(false);
    }
  });
});

describe("a mismatch that cannot force a refresh", () => {
  it("is told to retry when the next refresh is allowed (503 with Retry-After), never given the old keys as final", async () => {
    const { source, now } = setup({ refreshMinSeconds: 10 });
    await source.getKeys();
    await source.refreshAfterMismatch();
    now.value += 4_000;
    const before = endpoint.requests();
    expect(await failure(() => source.refreshAfterMismatch())).toMatchObject({ code: "verification_key_unavailable", retryAfterSeconds: 6 });
    expect(endpoint.requests()).toBe(before);
    now.value += 6_000;
    await expect(source.refreshAfterMismatch()).resolves.toHaveLength(1);
    expect(endpoint.requests()).toBe(before + 1);
  });

  it("is told to retry when the forced refresh failed (provider down)", async () => {
    const { source } = setup();
    await source.getKeys();
    endpoint.reply({ status: 503, body: {} });
    expect(await failure(() => source.refreshAfterMismatch())).toMatchObject({ code: "verification_key_unavailable" });
  });
});
