// A hostile or broken key endpoint, through the service: each bad answer is a coded, logged rejection and the last good keys keep verifying.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASIC_SECRET, clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { KEY_RESOURCE, remoteKeyEnv, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startKeyEndpoint, type KeyEndpoint, type KeyEndpointReply } from "../support/key-endpoint.js";
import { startTestService, type TestService } from "../support/service.js";

const GOOD_KEY = `good_${randomBytes(24).toString("hex")}`;
const ATTACKER_KEY = `attacker_${randomBytes(24).toString("hex")}`;

let as: AuthServer;
let endpoint: KeyEndpoint;
const clock = { value: Date.now(), now: () => clock.value };
const nowSeconds = (): number => Math.floor(clock.value / 1000);
const handledIds: string[] = [];
/** A logged key-load failure: a warning or worse carrying the failure's code (not its wording). */
const keyLoadFailure = (line: Record<string, unknown>): boolean => typeof line.code === "string" && typeof line.level === "number" && line.level >= 40;

beforeAll(async () => {
  as = await startAuthServer({ clients: clientRegistrations(generateJwtKeys()) });
  endpoint = await startKeyEndpoint({ issuer: as.issuer, audience: KEY_RESOURCE });
});
afterAll(() => Promise.all([as.close(), endpoint.close()]));

function start(env: Record<string, string> = {}): Promise<TestService> {
  clock.value = Date.now();
  return startTestService(
    {
      ...remoteKeyEnv(as, endpoint.url, BASIC_SECRET),
      WEBHOOK_KEY_CACHE_SECONDS: "86400",
      WEBHOOK_KEY_REFRESH_MIN_SECONDS: "10",
      ...env,
    },
    { clock, register: (receiver) => receiver.on("*", (event) => void handledIds.push(event.id)) },
  );
}

async function deliver(service: TestService, secret: string): Promise<{ status: number; error: unknown; id: string }> {
  const body = uniqueEvent();
  const response = await service.post(body, chatgptHeaders(body, secret, nowSeconds()));
  const answer = (await response.json()) as { error?: unknown };
  return { status: response.status, error: answer.error, id: (JSON.parse(body.toString()) as { id: string }).id };
}

const html = "<!doctype html><html><head><title>Login</title></head><body><form>Sign in</form></body></html>";
const HOSTILE: Array<[string, KeyEndpointReply, string]> = [
  ["an HTML page", { body: html }, "invalid_key_response"],
  ["an HTML error page with status 500", { status: 500, body: html }, "key_endpoint_http_error"],
  ["a 200 with an empty body", { body: "" }, "invalid_key_response"],
  ["a 100 KB secret", { body: { secret: "x".repeat(100_000) } }, "invalid_key_response"],
  ["a 1 MB key list", { body: { keys: Array.from({ length: 20_000 }, (_, i) => ({ id: `k${i}`, secret: "s".repeat(40) })) } }, "invalid_key_response"],
  ["100k nested arrays", { body: "[".repeat(100_000) + "]".repeat(100_000) }, "invalid_key_response"],
  ["a JSON array", { body: [{ secret: ATTACKER_KEY }] }, "invalid_key_response"],
  ["a JSON string", { body: JSON.stringify(ATTACKER_KEY) }, "invalid_key_response"],
  ["null", { body: "null" }, "invalid_key_response"],
  ["the wrong field name", { body: { key: ATTACKER_KEY } }, "invalid_key_response"],
  ["keys as an object", { body: { keys: { id: "a", secret: ATTACKER_KEY } } }, "invalid_key_response"],
  ["a 0-byte whsec_ key", { body: { secret: "whsec_" } }, "invalid_key_response"],
  ["a whsec_ key that is not base64", { body: { keys: [{ id: "a", secret: "whsec_!!!!" }] } }, "invalid_key_response"],
  ["a 15-byte key beside a good one", { body: { keys: [{ id: "good", secret: GOOD_KEY }, { id: "short", secret: "fifteen-bytes!!" }] } }, "invalid_key_response"],
  ["an empty secret", { body: { secret: "" } }, "invalid_key_response"],
  ["a numeric secret", { body: { secret: 12_345_678_901_234 } }, "invalid_key_response"],
  ["a boolean secret", { body: { secret: true } }, "invalid_key_response"],
  ["an object secret", { body: { keys: [{ id: "a", secret: { $gt: "" } }] } }, "invalid_key_response"],
  ["a null secret", { body: { keys: [{ id: "a", secret: null }] } }, "invalid_key_response"],
  ["an array secret", { body: { keys: [{ id: "a", secret: [ATTACKER_KEY] }] } }, "invalid_key_response"],
  ["a secret inherited through __proto__", { body: `{"__proto__":{"secret":"${ATTACKER_KEY}"}}` }, "invalid_key_response"],
  ["keys inherited through __proto__", { body: `{"__proto__":{"keys":[{"secret":"${ATTACKER_KEY}"}]}}` }, "invalid_key_response"],
  ["a secret under constructor.prototype", { body: { constructor: { prototype: { secret: ATTACKER_KEY } } } }, "invalid_key_response"],
];

describe("hostile key endpoint responses, through the service", () => {
  it("rejects each with a coded, logged error, keeps verifying with the last good key, and never trusts the hostile body", async () => {
    endpoint.reply({ body: { keys: [{ id: "good", secret: GOOD_KEY }] } });
    const service = await start();
    try {
      expect((await deliver(service, GOOD_KEY)).status).toBe(200);
      const attackerIds = new Set<string>();
      const outcomes: Array<{ name: string; fetched: number; forced: number; good: number; attacker: number; logged: unknown[] }> = [];
      for (const [name, reply] of HOSTILE) {
        endpoint.reply(reply);
        clock.value += 11_000; // past WEBHOOK_KEY_REFRESH_MIN_SECONDS: the next mismatch forces a key fetch
        const logsBefore = service.logs.length;
        const requestsBefore = endpoint.requests();
        // A mismatch forces one refresh, which gets the hostile body: the delivery cannot be
        // checked against newer keys, so it is told to retry (503), neither accepted nor called forged.
        const forced = await deliver(service, ATTACKER_KEY);
        const fetched = endpoint.requests() - requestsBefore;
        const good = await deliver(service, GOOD_KEY);
        const attacker = await deliver(service, ATTACKER_KEY);
        attackerIds.add(forced.id).add(attacker.id);
        const logged = service.logs.slice(logsBefore).filter(keyLoadFailure).map((line) => line.code);
        outcomes.push({ name, fetched, forced: forced.status, good: good.status, attacker: attacker.status, logged });
      }
      // The second forgery comes within WEBHOOK_KEY_REFRESH_MIN_SECONDS: throttled, 503 as well.
      expect(outcomes).toEqual(HOSTILE.map(([name, , code]) => ({ name, fetched: 1, forced: 503, good: 200, attacker: 503, logged: [code] })));
      expect(handledIds.filter((id) => attackerIds.has(id))).toEqual([]);

      const metrics = await (await fetch(`${service.url}/metrics`)).text();
      expect(metrics).toMatch(/webhook_key_fetches_total\{outcome="invalid_response"\} [1-9]/);
      expect(await (await fetch(`${service.url}/readyz`)).json()).toMatchObject({ status: "ready" });
      expect(service.rawLogs()).not.toContain(GOOD_KEY);
      expect(service.rawLogs()).not.toContain(ATTACKER_KEY);

      // And the provider recovering with a rotated key is picked up as usual.
      const ROTATED = `rotated_${randomBytes(24).toString("hex")}`;
      endpoint.reply({ body: { keys: [{ id: "rotated", secret: ROTATED }] } });
      clock.value += 11_000;
      expect((await deliver(service, ROTATED)).status).toBe(200);
    } finally {
      await service.shutdown();
    }
  });

  it("on a cold start against a hostile endpoint: 503 verification_key_unavailable, /readyz says why, no handler runs", async () => {
    endpoint.reply({ body: html });
    const service = await start({ OPS_PORT: "0" }); // /readyz gives reasons on the ops listener only
    try {
      const before = handledIds.length;
      const first = await deliver(service, GOOD_KEY);
      expect({ status: first.status, error: first.error }).toEqual({ status: 503, error: "verification_key_unavailable" });
      const forged = await deliver(service, ATTACKER_KEY);
      expect(forged.status).toBe(503);
      expect(handledIds.length).toBe(before);
      const ready = await fetch(`${service.opsUrl ?? ""}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { checks: { keys: { ready: boolean; reason: string } } };
      expect(body.checks.keys.reason).toContain("invalid_key_response");
      expect(service.logs.some((line) => keyLoadFailure(line) && line.code === "invalid_key_response")).toBe(true);
    } finally {
      await service.shutdown();
    }
  });
});
