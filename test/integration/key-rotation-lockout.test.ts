// A forgery that spends the forced key refresh just before a rotation cannot get the real sender refused or locked out.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASIC_SECRET, clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { KEY_RESOURCE, remoteKeyEnv, startAuthServer, type AuthServer } from "../support/auth-server.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startKeyEndpoint, type KeyEndpoint } from "../support/key-endpoint.js";
import { startTestService } from "../support/service.js";

const OLD_KEY = `old_${randomBytes(24).toString("hex")}`;
const NEW_KEY = `new_${randomBytes(24).toString("hex")}`;
const FORGED_KEY = `forged_${randomBytes(24).toString("hex")}`;

let as: AuthServer;
let endpoint: KeyEndpoint;
const clock = { value: Date.now(), now: () => clock.value };

beforeAll(async () => {
  as = await startAuthServer({ clients: clientRegistrations(generateJwtKeys()) });
  endpoint = await startKeyEndpoint({ issuer: as.issuer, audience: KEY_RESOURCE });
});
afterAll(() => Promise.all([as.close(), endpoint.close()]));

describe("a rotation right after a forgery spent the forced refresh", () => {
  it("answers the sender 503 with Retry-After (never 401, never a lockout), then accepts the new key once a refresh is allowed", async () => {
    endpoint.reply({ body: { keys: [{ id: "old", secret: OLD_KEY }] } });
    clock.value = Date.now();
    const handled: string[] = [];
    const service = await startTestService(
      { ...remoteKeyEnv(as, endpoint.url, BASIC_SECRET), WEBHOOK_KEY_REFRESH_MIN_SECONDS: "10", RATE_LIMIT_FAILURES_PER_MINUTE: "3" },
      { clock, register: (receiver) => receiver.on("*", (event) => void handled.push(event.id)) },
    );
    const deliver = (secret: string, body = uniqueEvent()) =>
      service.post(body, chatgptHeaders(body, secret, Math.floor(clock.value / 1000)));
    try {
      expect((await deliver(OLD_KEY)).status).toBe(200);
      const forged = await deliver(FORGED_KEY); // spends the forced refresh: the endpoint still lists the old key
      expect(forged.status).toBe(401);
      endpoint.reply({ body: { keys: [{ id: "new", secret: NEW_KEY }, { id: "old", secret: OLD_KEY }] } });
      const fetchesBefore = endpoint.requests();

      const body = uniqueEvent();
      for (let retry = 0; retry < 6; retry++) {
        clock.value += 1_000;
        const answer = await deliver(NEW_KEY, body);
        expect(answer.status).toBe(503);
        expect(await answer.json()).toMatchObject({ error: "verification_key_unavailable" });
        expect(Number(answer.headers.get("retry-after"))).toBe(10 - (retry + 1));
      }
      expect(endpoint.requests()).toBe(fetchesBefore); // throttled: no key fetch meanwhile
      clock.value += 4_000; // 10 s after the forged refresh
      const accepted = await deliver(NEW_KEY, body);
      expect(accepted.status).toBe(200);
      expect(handled).toContain((JSON.parse(body.toString()) as { id: string }).id);
      expect(endpoint.requests()).toBe(fetchesBefore + 1);
    } finally {
      await service.shutdown();
    }
  });
});
