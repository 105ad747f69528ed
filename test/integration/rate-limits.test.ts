// Rate limits through real HTTP: all requests per minute, and failed verifications counted apart.
import { afterEach, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";

let service: TestService | undefined;
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});

const validPost = (target: TestService): Promise<Response> => {
  const body = uniqueEvent();
  return target.post(body, chatgptHeaders(body, TEST_SECRET));
};

describe("rate limits", () => {
  it("answers 429 rate_limited past RATE_LIMIT_PER_MINUTE, with RateLimit and Retry-After headers", async () => {
    service = await startTestService({ RATE_LIMIT_PER_MINUTE: "5" });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await validPost(service)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await validPost(service);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit")).toMatch(/limit=5, remaining=0/);
    expect(limited.headers.get("ratelimit-policy")).toBe("5;w=60");
  });

  it("counts only failed answers toward RATE_LIMIT_FAILURES_PER_MINUTE, then refuses everything from that client", async () => {
    service = await startTestService({ RATE_LIMIT_FAILURES_PER_MINUTE: "3" });
    for (let i = 0; i < 10; i++) expect((await validPost(service)).status).toBe(200);
    const forged = uniqueEvent();
    for (let i = 0; i < 3; i++) {
      expect((await service.post(forged, chatgptHeaders(forged, "wrong-secret-0123456789abcdef"))).status).toBe(401);
    }
    const refused = await validPost(service);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
  });

  it("keys clients by socket address, ignoring X-Forwarded-For unless TRUST_PROXY says so", async () => {
    service = await startTestService({ RATE_LIMIT_PER_MINUTE: "2" });
    const spoofed = async (ip: string): Promise<number> => {
      const body = uniqueEvent();
      return (await service!.post(body, { ...chatgptHeaders(body, TEST_SECRET), "x-forwarded-for": ip })).status;
    };
    // A sender cannot dodge its limit by claiming another address.
    expect([await spoofed("203.0.113.1"), await spoofed("203.0.113.2"), await spoofed("203.0.113.3")]).toEqual([200, 200, 429]);
  });

  it("with TRUST_PROXY keys each forwarded client apart (IPv6 by /56)", async () => {
    service = await startTestService({ RATE_LIMIT_PER_MINUTE: "2", TRUST_PROXY: "loopback" });
    const from = async (ip: string): Promise<number> => {
      const body = uniqueEvent();
      return (await service!.post(body, { ...chatgptHeaders(body, TEST_SECRET), "x-forwarded-for": ip })).status;
    };
    expect([await from("203.0.113.1"), await from("203.0.113.1"), await from("203.0.113.1")]).toEqual([200, 200, 429]);
    expect(await from("203.0.113.2")).toBe(200);
    expect([await from("2001:db8:0:100::1"), await from("2001:db8:0:1ff::2")]).toEqual([200, 200]);
    expect(await from("2001:db8:0:1aa::3")).toBe(429); // same /56 as the two before
  });
});
