// The front door's own failures: answered 500 internal_error (never a rejection), and a request leaves the in-flight count whatever happens.
import { describe, expect, it } from "vitest";
import { createWebhookReceiver } from "../../../src/receiver/create-receiver.js";
import type { BodyRead, WebhookRequest } from "../../../src/receiver/webhook-request.js";
import { chatgptHeaders } from "../../support/independent-signers.js";

const SECRET = "front-door-unit-secret-0123456789";

function signed(id: string): { headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(JSON.stringify({ id, type: "batch.completed" }));
  return { headers: { "content-type": "application/json", ...chatgptHeaders(body, SECRET, Math.floor(Date.now() / 1000)) }, body };
}

function request(id: string, readBody: WebhookRequest["readBody"]): WebhookRequest {
  return { method: "POST", headers: signed(id).headers, clientKey: "127.0.0.1", readBody };
}

describe("the front door", () => {
  it("answers 500 internal_error when reading the body fails (rejected or thrown), and counts nothing in flight after", async () => {
    const receiver = createWebhookReceiver({ secret: SECRET });
    receiver.on("*", () => undefined);
    const rejected = receiver.handle(request("evt_fd_1", () => Promise.reject(new Error("adapter bug"))));
    const thrown = receiver.handle(
      request("evt_fd_2", () => {
        throw new Error("adapter bug");
      }),
    );
    for (const answer of await Promise.all([rejected, thrown])) {
      expect(answer).toMatchObject({ status: 500, body: { error: "internal_error" } });
    }
    expect(receiver.inFlight()).toBe(0);
    const { headers, body } = signed("evt_fd_3");
    const ok = await receiver.handle({ method: "POST", headers, clientKey: "127.0.0.1", readBody: (): Promise<BodyRead> => Promise.resolve({ kind: "read", body }) });
    expect(ok).toMatchObject({ status: 200, body: { status: "processed" } });
    expect(receiver.inFlight()).toBe(0);
    await receiver.close();
  });

  it("answers nothing for a sender that left, and counts it in flight only until then", async () => {
    const receiver = createWebhookReceiver({ secret: SECRET });
    let release: (read: BodyRead) => void = () => undefined;
    const answering = receiver.handle(request("evt_fd_4", () => new Promise<BodyRead>((resolve) => (release = resolve))));
    await Promise.resolve();
    expect(receiver.inFlight()).toBe(1);
    release({ kind: "gone" });
    expect(await answering).toBeUndefined();
    expect(receiver.inFlight()).toBe(0);
    await receiver.close();
  });
});
