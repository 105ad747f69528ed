// Forwarding in inline mode, end to end: real service, real oidc-provider tokens, a real internal service that checks them.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { BASIC_SECRET } from "../oauth/fixtures.js";
import { loadFixtures, uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { FORWARD_SECRET, useForwardStack } from "./forward-env.js";

const stack = useForwardStack();

const start = (extra: Record<string, string> = {}): Promise<TestService> => stack.start(startTestService, extra);

const send = (service: TestService, body: Buffer, deliveryId?: string): Promise<Response> =>
  service.post(body, { ...chatgptHeaders(body, TEST_SECRET), ...(deliveryId === undefined ? {} : { "x-chatgpt-event-id": deliveryId }) });

describe("forwarding (inline)", () => {
  it("forwards every fixture once: the exact bytes, the headers, a bearer JWT, a Standard Webhooks signature; nothing secret in the logs", async () => {
    const service = await start();
    const fixtures = loadFixtures();
    for (const [index, fixture] of fixtures.entries()) {
      const answer = await send(service, fixture.body, `dlv_${index}`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ status: "processed", id: fixture.id });
    }
    expect(stack.internal.received).toHaveLength(fixtures.length);
    const verifier = new Webhook(FORWARD_SECRET);
    for (const [index, fixture] of fixtures.entries()) {
      const got = stack.internal.received[index]!;
      expect(got.status).toBe(200);
      expect(got.body.equals(fixture.body)).toBe(true);
      expect(got.headers).toMatchObject({
        "content-type": "application/json",
        "x-webhook-event-id": fixture.id,
        "x-webhook-event-type": fixture.type,
        "x-webhook-delivery-id": `dlv_${index}`,
        "webhook-id": fixture.id,
      });
      expect(() => verifier.verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    }
    expect(stack.as.tokenRequests()).toBeGreaterThanOrEqual(1);
    const logs = service.rawLogs();
    const secrets = [...new Set(stack.internal.received.map((r) => r.token!)), FORWARD_SECRET, FORWARD_SECRET.slice(6), BASIC_SECRET, TEST_SECRET];
    secrets.push(...stack.internal.received.map((r) => String(r.headers["webhook-signature"])));
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(await service.receiver.metrics.registry.metrics()).toMatch(new RegExp(`webhook_forwards_total\\{outcome="delivered"\\} ${fixtures.length}\n`));
    expect(await service.receiver.metrics.registry.metrics()).toMatch(/webhook_token_requests_total\{outcome="success",client="forward"\} 1/);
  });

  it("answers 503 forward_failed while the internal service fails (500, 500), then 200: delivered once", async () => {
    const service = await start();
    stack.internal.answerNext({ status: 500 }, { status: 503, headers: { "retry-after": "7" } });
    const body = uniqueEvent();
    const first = await send(service, body);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ error: "forward_failed" });
    const second = await send(service, body);
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("7");
    const third = await send(service, body);
    expect(third.status).toBe(200);
    expect((await send(service, body)).status).toBe(200); // duplicate, not forwarded again
    expect(stack.internal.received.map((r) => r.status)).toEqual([500, 503, 200]);
  });

  it("after a 401 fetches exactly one new token and retries once", async () => {
    const service = await start();
    expect((await send(service, uniqueEvent())).status).toBe(200);
    const tokensBefore = stack.as.tokenRequests();
    stack.internal.answerNext({ status: 401 });
    expect((await send(service, uniqueEvent())).status).toBe(200);
    expect(stack.as.tokenRequests()).toBe(tokensBefore + 1);
    expect(stack.internal.received.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(stack.internal.received[2]!.token).not.toBe(stack.internal.received[1]!.token);
  });

  it("answers 500 handler_failed when the internal service refuses the event (400), and logs its status and host", async () => {
    const service = await start();
    stack.internal.answerNext({ status: 400 });
    const answer = await send(service, uniqueEvent());
    expect(answer.status).toBe(500);
    expect(await answer.json()).toMatchObject({ error: "handler_failed" });
    const line = service.logs.find((entry) => entry.msg === "forward refused by the internal service");
    expect(line).toMatchObject({ status: 400, host: new URL(stack.internal.url).host, outcome: "permanent" });
  });

  it("forwards only FORWARD_TYPES: prefixes and exact types", async () => {
    const service = await start({ FORWARD_TYPES: "batch.*, response.completed" });
    for (const type of ["batch.completed", "response.completed", "response.failed", "eval.run.failed", "batches.completed", "batch"]) {
      expect((await send(service, uniqueEvent(type))).status).toBe(200);
    }
    expect(stack.internal.received.map((r) => r.headers["x-webhook-event-type"])).toEqual(["batch.completed", "response.completed"]);
  });

  it("with exact FORWARD_TYPES only, an event of another type with no handler stays ignored", async () => {
    const service = await start({ FORWARD_TYPES: "response.completed" });
    expect(await (await send(service, uniqueEvent("response.failed"))).json()).toMatchObject({ status: "ignored" });
    expect(await (await send(service, uniqueEvent("response.completed"))).json()).toMatchObject({ status: "processed" });
    expect(stack.internal.received.map((r) => r.headers["x-webhook-event-type"])).toEqual(["response.completed"]);
  });

  it("answers 503 forward_failed when the internal service does not answer within FORWARD_TIMEOUT_MS, or cannot be reached", async () => {
    const service = await start({ FORWARD_TIMEOUT_MS: "200" });
    stack.internal.answerNext({ status: 0 });
    const body = uniqueEvent();
    const first = await send(service, body);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ error: "forward_failed" });
    expect(service.logs.find((entry) => entry.msg === "forward got no answer")).toMatchObject({ outcome: "timeout" });
    await stack.internal.close();
    const second = await send(service, body);
    expect(second.status).toBe(503);
    expect(service.logs.filter((entry) => entry.msg === "forward got no answer").map((entry) => entry.outcome)).toEqual(["timeout", "network_error"]);
    expect(await service.receiver.metrics.registry.metrics()).toMatch(/webhook_forwards_total\{outcome="network_error"\} 1/);
  });
});
