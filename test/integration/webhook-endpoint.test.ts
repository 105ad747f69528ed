// The webhook endpoint through real HTTP on 127.0.0.1: every fixture, and every way a delivery can go wrong.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatgptHeaders, nowSeconds } from "../support/independent-signers.js";
import { loadFixtures, uniqueEvent } from "../support/fixtures.js";
import { rawPost, rawRequest } from "../support/raw-http.js";
import { startTestService, TEST_SECRET, WEBHOOK_PATH, type TestService } from "../support/service.js";
import type { HandlerContext } from "../../src/index.js";

const fixtures = loadFixtures();
const seen: Array<{ id: string; type: string; context: HandlerContext }> = [];
let service: TestService;

beforeAll(async () => {
  service = await startTestService({ WEBHOOK_MAX_BODY_BYTES: "4096" }, {
    register: (receiver) => {
      receiver.on("*", (event, context) => {
        seen.push({ id: event.id, type: event.type, context });
      });
      receiver.on("batch.completed", (event) => {
        // Typed payload: data.id is a string on a known event type.
        expect(typeof event.data.id).toBe("string");
      });
    },
  });
});
afterAll(() => service.shutdown());

const handledCount = (id: string): number => seen.filter((entry) => entry.id === id).length;

async function expectError(response: Response, status: number, code: string): Promise<void> {
  const body = (await response.json()) as { error: string; message: string };
  expect({ status: response.status, error: body.error }).toEqual({ status, error: code });
  expect(typeof body.message).toBe("string");
}

describe("valid deliveries", () => {
  it.each(fixtures)("processes $file once, then answers duplicate", async (fixture) => {
    const headers = chatgptHeaders(fixture.body, TEST_SECRET);
    const first = await service.post(fixture.body, headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: "processed", id: fixture.id });
    const again = await service.post(fixture.body, { ...headers, "x-chatgpt-event-id": "another-unsigned-id" });
    expect(await again.json()).toEqual({ status: "duplicate", id: fixture.id });
    expect(handledCount(fixture.id)).toBe(1);
    const handled = seen.find((entry) => entry.id === fixture.id);
    expect(handled?.type).toBe(fixture.type);
    expect(handled?.context.scheme).toBe("chatgpt");
    expect(handled?.context.signal.aborted).toBe(false);
  });

  it("treats a replay re-signed with a new timestamp as a duplicate (dedupe on the signed body id)", async () => {
    const body = uniqueEvent();
    await service.post(body, chatgptHeaders(body, TEST_SECRET, nowSeconds() - 10));
    const replay = await service.post(body, chatgptHeaders(body, TEST_SECRET));
    expect(((await replay.json()) as { status: string }).status).toBe("duplicate");
  });

  it("accepts uppercase hex, a bare hex value, and one valid entry among several", async () => {
    for (const shape of ["upper", "bare", "several"] as const) {
      const body = uniqueEvent();
      const headers = chatgptHeaders(body, TEST_SECRET);
      const hex = headers["x-chatgpt-signature"]!.slice(3);
      headers["x-chatgpt-signature"] =
        shape === "upper" ? `v1=${hex.toUpperCase()}` : shape === "bare" ? hex : `v0=abc, v1=${"0".repeat(64)} ,v1=${hex}`;
      const response = await service.post(body, headers);
      expect(response.status, shape).toBe(200);
    }
  });

  it("verifies the exact bytes: compact and pretty-printed unicode bodies both pass", async () => {
    const unicode = fixtures.find((fixture) => fixture.file.includes("unicode"))!;
    const compact = Buffer.from(JSON.stringify({ ...JSON.parse(unicode.body.toString()), id: "evt_compact_unicode_1" }));
    expect((await service.post(compact, chatgptHeaders(compact, TEST_SECRET))).status).toBe(200);
    expect(handledCount("evt_compact_unicode_1")).toBe(1);
  });

  it("acknowledges application/*+json and a utf-8 charset", async () => {
    const body = uniqueEvent();
    const response = await service.post(body, chatgptHeaders(body, TEST_SECRET), "application/cloudevents+json; charset=UTF-8");
    expect(response.status).toBe(200);
  });
});

describe("rejections", () => {
  // Forged deliveries end to end (a flipped body bit, a wrong secret, stale, future and millisecond
  // timestamps, 11 signature entries; no handler runs) are the hostile corpus's
  // (test/hostile/support/corpus.ts); their boundaries are tested once, in test/unit/signature
  // (verify-delivery.test.ts, timestamp.test.ts, chatgpt-scheme.test.ts, standard-scheme.test.ts).
  it.each(["1700000000.5", "-1700000000", "1.7e9", " ", "0x6553f100", "17000000000000000000"])(
    "refuses the timestamp %j with 400",
    async (timestamp) => {
      const body = uniqueEvent();
      const headers = { ...chatgptHeaders(body, TEST_SECRET), "x-chatgpt-timestamp": timestamp };
      const response = await service.post(body, headers);
      expect(response.status).toBe(400);
      expect(["malformed_header", "missing_header"]).toContain(((await response.json()) as { error: string }).error);
    },
  );

  it("refuses missing headers with 400 missing_header", async () => {
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, TEST_SECRET);
    await expectError(await service.post(body, { "x-chatgpt-timestamp": headers["x-chatgpt-timestamp"]! }), 400, "missing_header");
    await expectError(await service.post(body, { "x-chatgpt-signature": headers["x-chatgpt-signature"]! }), 400, "missing_header");
  });

  it.each([
    ["a short hex", "v1=abcdef"],
    ["non-hex", `v1=${"z".repeat(64)}`],
    ["only other versions", `v0=${"a".repeat(64)}`],
    ["an 8 KB value", "v1=" + "a".repeat(8000)],
  ])("refuses %s with 400 malformed_header", async (_label, signature) => {
    const body = uniqueEvent();
    const headers = { ...chatgptHeaders(body, TEST_SECRET), "x-chatgpt-signature": signature };
    await expectError(await service.post(body, headers), 400, "malformed_header");
  });

  it("refuses a multibyte (UTF-8) signature header with 400 malformed_header", async () => {
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, TEST_SECRET);
    const port = Number(new URL(service.url).port);
    const response = await rawRequest(
      port,
      rawPost(WEBHOOK_PATH, [
        "Content-Type: application/json",
        `x-chatgpt-timestamp: ${headers["x-chatgpt-timestamp"]}`,
        Buffer.concat([Buffer.from("x-chatgpt-signature: v1="), Buffer.from("✓".repeat(21) + "a", "utf8")]),
      ], body),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: "malformed_header" });
  });

  it.each([
    ["not JSON", "this is not json"],
    ["a JSON array", "[1,2,3]"],
    ["an object without id", JSON.stringify({ type: "response.completed" })],
    ["a numeric id", JSON.stringify({ id: 42, type: "response.completed" })],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ])("refuses a correctly signed body that is %s with 400 invalid_payload", async (_label, body) => {
    await expectError(await service.post(body, chatgptHeaders(body, TEST_SECRET)), 400, "invalid_payload");
  });

  it("refuses non-JSON content types with 415 before reading the body", async () => {
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, TEST_SECRET);
    await expectError(await service.post(body, headers, "text/plain"), 415, "unsupported_media_type");
    await expectError(await service.post(body, headers, "application/json; charset=latin1"), 415, "unsupported_media_type");
    await expectError(await fetch(service.webhookUrl, { method: "POST", body, headers }), 415, "unsupported_media_type");
  });

  it("refuses a body over WEBHOOK_MAX_BODY_BYTES with 413", async () => {
    const body = uniqueEvent("response.completed", { padding: "x".repeat(5000) });
    await expectError(await service.post(body, chatgptHeaders(body, TEST_SECRET)), 413, "payload_too_large");
  });

  it("answers JSON 405 to other methods on the webhook path and JSON 404 elsewhere", async () => {
    const get = await fetch(service.webhookUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toEqual({ error: "method_not_allowed", message: expect.any(String) as unknown });
    const put = await fetch(service.webhookUrl, { method: "PUT", body: "{}", headers: { "content-type": "application/json" } });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ error: "method_not_allowed" });
    const missing = await fetch(`${service.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
  });
});

describe("concurrency", () => {
  it("processes 100 concurrent distinct events exactly once each", async () => {
    const bodies = Array.from({ length: 100 }, () => uniqueEvent("batch.completed"));
    const responses = await Promise.all(bodies.map((body) => service.post(body, chatgptHeaders(body, TEST_SECRET))));
    expect(responses.map((response) => response.status)).toEqual(bodies.map(() => 200));
    for (const body of bodies) expect(handledCount((JSON.parse(body.toString()) as { id: string }).id)).toBe(1);
  });

  it("processes 200 concurrent replays of a handled event zero times", async () => {
    const body = uniqueEvent();
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    const headers = chatgptHeaders(body, TEST_SECRET);
    expect((await service.post(body, headers)).status).toBe(200);
    const replays = await Promise.all(Array.from({ length: 200 }, () => service.post(body, headers)));
    const bodies = await Promise.all(replays.map((response) => response.json() as Promise<{ status: string }>));
    expect(new Set(bodies.map((entry) => entry.status))).toEqual(new Set(["duplicate"]));
    expect(handledCount(id)).toBe(1);
  });

  it("handles 50 concurrent first deliveries of one event once; the others get 200 duplicate or 409", async () => {
    const body = uniqueEvent();
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    const headers = chatgptHeaders(body, TEST_SECRET);
    const responses = await Promise.all(Array.from({ length: 50 }, () => service.post(body, headers)));
    for (const response of responses) expect([200, 409]).toContain(response.status);
    expect(handledCount(id)).toBe(1);
  });
});

describe("operations", () => {
  it("sets the API security headers (OWASP REST Security Cheat Sheet) on webhook answers, errors and other routes", async () => {
    const body = uniqueEvent();
    const responses = [
      await service.post(body, chatgptHeaders(body, TEST_SECRET)),
      await service.post(body, chatgptHeaders(body, "wrong-secret-0123456789abcdef")),
      await fetch(`${service.url}/healthz`),
      await fetch(`${service.url}/nowhere`),
    ];
    for (const response of responses) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("serves /healthz, /readyz and /metrics", async () => {
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { keys: { ready: true }, replay_store: { ready: true } } });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/webhook_deliveries_total\{outcome="processed"\} [1-9]/);
    expect(metrics).toMatch(/webhook_deliveries_total\{outcome="invalid_signature"\} [1-9]/);
    expect(metrics).toContain("webhook_verify_duration_seconds_bucket");
    expect(metrics).toContain("webhook_handler_duration_seconds_bucket");
  });

  it("logs one line per delivery with id, type, outcome, status and duration, and never a secret or signature", async () => {
    const body = uniqueEvent("batch.failed");
    const id = (JSON.parse(body.toString()) as { id: string }).id;
    const headers = chatgptHeaders(body, TEST_SECRET);
    await service.post(body, headers);
    const lines = service.logs.filter((line) => line.event_id === id && line.outcome !== undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event_type: "batch.failed", outcome: "processed", status: 200 });
    expect(typeof lines[0]!.duration_ms).toBe("number");
    const raw = service.rawLogs();
    expect(raw).not.toContain(TEST_SECRET);
    expect(raw).not.toContain(headers["x-chatgpt-signature"]!.slice(3));
  });
});
