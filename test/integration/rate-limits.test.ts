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
});
