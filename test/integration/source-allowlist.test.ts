// ALLOWED_SOURCE_IPS through the real service: the address TRUST_PROXY vouches for decides, the body is never read,
// the rate limits are not spent, and each refusal is counted and logged once.
import { afterEach, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { rawRequest } from "../support/raw-http.js";
import { startTestService, TEST_SECRET, WEBHOOK_PATH, type TestService } from "../support/service.js";

let service: TestService | undefined;
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});

/** Status of a valid signed delivery claiming to come from `forwardedFor` (no header when undefined). */
async function deliverFrom(target: TestService, forwardedFor?: string): Promise<number> {
  const body = uniqueEvent();
  const headers = { ...chatgptHeaders(body, TEST_SECRET), ...(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }) };
  const response = await target.post(body, headers);
  if (response.status === 403) expect(await response.json()).toMatchObject({ error: "forbidden_source" });
  return response.status;
}

async function forbiddenCount(target: TestService): Promise<number> {
  const text = await (await fetch(`${target.url}/metrics`)).text();
  return Number(/^webhook_deliveries_total\{outcome="forbidden_source"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

describe("ALLOWED_SOURCE_IPS", () => {
  it("behind TRUST_PROXY=1 lets the forwarded address decide: allowed ones delivered, others 403", async () => {
    service = await startTestService({ TRUST_PROXY: "1", ALLOWED_SOURCE_IPS: "203.0.113.0/24, 2001:db8::/32" });
    expect(await deliverFrom(service, "203.0.113.5")).toBe(200);
    expect(await deliverFrom(service, "2001:db8::7")).toBe(200);
    expect(await deliverFrom(service, "198.51.100.1")).toBe(403);
    // One hop trusted: the proxy appended the real client last; what the client wrote before it is not believed.
    expect(await deliverFrom(service, "203.0.113.5, 198.51.100.1")).toBe(403);
    expect(await deliverFrom(service, "198.51.100.1, 203.0.113.5")).toBe(200);
    // No header: the proxy itself (127.0.0.1) is the client, and it is not listed.
    expect(await deliverFrom(service)).toBe(403);
  });

  it("without TRUST_PROXY decides on the socket's address, never on a spoofed X-Forwarded-For", async () => {
    service = await startTestService({ ALLOWED_SOURCE_IPS: "203.0.113.0/24" });
    expect(await deliverFrom(service, "203.0.113.5")).toBe(403);
    await service.shutdown();
    service = await startTestService({ ALLOWED_SOURCE_IPS: "127.0.0.1" });
    expect(await deliverFrom(service, "198.51.100.1")).toBe(200);
  });

  it("answers 403 at once without reading the body: a declared body that never comes gets its answer and the connection closed", async () => {
    service = await startTestService({ ALLOWED_SOURCE_IPS: "203.0.113.0/24" });
    const port = Number(new URL(service.url).port);
    const body = uniqueEvent();
    const head = [
      `POST ${WEBHOOK_PATH} HTTP/1.1`,
      "Host: 127.0.0.1",
      "Content-Type: application/json",
      "Content-Length: 900000",
      ...Object.entries(chatgptHeaders(body, TEST_SECRET)).map(([name, value]) => `${name}: ${value}`),
    ];
    // Only the head is sent; a server waiting for the body would never answer (the request timeout is 30 s).
    const answer = await rawRequest(port, `${head.join("\r\n")}\r\n\r\n`);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: "forbidden_source" });
    expect(answer.head.toLowerCase()).toContain("connection: close");
  });

  it("refuses before the rate limits: refused sources spend no count, and each refusal is counted and logged once", async () => {
    service = await startTestService({ ALLOWED_SOURCE_IPS: "203.0.113.0/24", RATE_LIMIT_PER_MINUTE: "2" });
    const before = await forbiddenCount(service);
    for (let i = 0; i < 4; i++) expect(await deliverFrom(service)).toBe(403);
    expect((await forbiddenCount(service)) - before).toBe(4);
    const lines = service.logs.filter((line) => line.outcome === "forbidden_source");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ level: 40, msg: "delivery rejected", status: 403, source_address: "127.0.0.1" });
  });

  it("without ALLOWED_SOURCE_IPS lets every source deliver", async () => {
    service = await startTestService();
    expect(await deliverFrom(service, "198.51.100.1")).toBe(200);
  });
});
