// Token endpoint faults through the service: retried 5xx, malformed answers and refused connections
// give 503 verification_key_unavailable (never a 2xx without verification), then recovery.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BASIC_SECRET, clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { KEY_RESOURCE, remoteKeyEnv, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startKeyEndpoint, type KeyEndpoint } from "../support/key-endpoint.js";
import { freePort } from "../support/service-process.js";
import { startTestService, type TestService } from "../support/service.js";

const KEY = `k_${randomBytes(24).toString("hex")}`;
let as: AuthServer;
let endpoint: KeyEndpoint;
let service: TestService | undefined;
const clock = { value: Date.now(), now: () => clock.value };
let handled = 0;

beforeAll(async () => {
  as = await startAuthServer({ clients: clientRegistrations(generateJwtKeys()) });
  endpoint = await startKeyEndpoint({ issuer: as.issuer, audience: KEY_RESOURCE });
  endpoint.reply({ body: { secret: KEY } });
});
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});
afterAll(() => Promise.all([as.close(), endpoint.close()]));

async function start(env: Record<string, string | undefined> = {}): Promise<TestService> {
  clock.value = Date.now();
  service = await startTestService({ ...remoteKeyEnv(as, endpoint.url, BASIC_SECRET), ...env }, {
    clock,
    register: (receiver) => receiver.on("*", () => void handled++),
  });
  return service;
}

const deliver = (target: TestService): Promise<Response> => {
  const body = uniqueEvent();
  return target.post(body, chatgptHeaders(body, KEY, Math.floor(clock.value / 1000)));
};

describe("token endpoint faults", () => {
  it("retries a 500 from the token endpoint and verifies the delivery (200)", async () => {
    as.failNext({ status: 500, body: "boom" });
    const before = as.tokenRequests();
    const target = await start();
    const response = await deliver(target);
    expect(response.status).toBe(200);
    expect(as.tokenRequests() - before).toBe(2);
  });

  it("answers 503 with Retry-After to a malformed token answer, never a 2xx, then recovers", async () => {
    const failures = Array.from({ length: 4 }, () => ({ status: 200, headers: { "content-type": "application/json" }, body: "{not json" }));
    as.failNext(...failures);
    const target = await start();
    const before = handled;
    const refused = await deliver(target);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: "verification_key_unavailable" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(handled).toBe(before);
    // Past the source's failure backoff, each delivery may load again; once the injected answers
    // are used up, the real server answers and the delivery verifies.
    clock.value += 60_000;
    let recovered = 0;
    for (let attempt = 0; attempt < 6 && recovered !== 200; attempt++) {
      recovered = (await deliver(target)).status;
      clock.value += 60_000;
    }
    expect(recovered).toBe(200);
  });

  it("answers 503 while the token endpoint refuses connections, and /readyz says not ready", async () => {
    const closed = await freePort();
    const target = await start({ TOKEN_ENDPOINT: `http://127.0.0.1:${closed}/token` });
    const response = await deliver(target);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "verification_key_unavailable" });
    const ready = await fetch(`${target.url}/readyz`);
    expect(ready.status).toBe(503);
  });
});
