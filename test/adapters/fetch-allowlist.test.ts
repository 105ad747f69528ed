// The fetch handler with ALLOWED_SOURCE_IPS: it fails closed when it knows no client address.
import { afterAll, describe, expect, it } from "vitest";
import { createFetchHandler } from "../../src/http/fetch-handler.js";
import { createWebhookReceiver } from "../../src/receiver/create-receiver.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";

const SECRET = "fetch-allowlist-secret-0123456789";
const receiver = createWebhookReceiver({ secret: SECRET, allowedSourceIps: "203.0.113.0/24" });
afterAll(() => receiver.close());

function signedRequest(): Request {
  const body = uniqueEvent();
  return new Request("http://receiver.test/webhooks/chatgpt", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...chatgptHeaders(body, SECRET) },
  });
}

describe("createFetchHandler with allowedSourceIps", () => {
  it("refuses every request when it is given no client address (fail closed)", async () => {
    const response = await createFetchHandler(receiver)(signedRequest());
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden_source" });
  });

  it("lets the address from the option or the context decide", async () => {
    const fromOption = createFetchHandler(receiver, { clientAddress: () => "203.0.113.9" });
    expect((await fromOption(signedRequest())).status).toBe(200);
    const handler = createFetchHandler(receiver);
    expect((await handler(signedRequest(), { clientAddress: "::ffff:203.0.113.10" })).status).toBe(200);
    expect((await handler(signedRequest(), { clientAddress: "198.51.100.1" })).status).toBe(403);
  });
});
