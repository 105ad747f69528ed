// toErrorResponse: each error code's status (README, "Status and error codes"), and nothing leaked for unknown errors.
import { describe, expect, it } from "vitest";
import { HandlerFailedError } from "../../../src/dispatch/handler-failed-error.js";
import { ConfigError, DeliveryFailedError, DeliveryRejectedError, ErrorCode, WebhookError } from "../../../src/errors.js";
import { toErrorResponse } from "../../../src/pipeline/error-response.js";
import { ForwardError } from "../../../src/forward/forward-error.js";

/** README, "Status and error codes", written out independently of the source table. */
const DESIGN_STATUS: Readonly<Record<ErrorCode, number>> = {
  missing_header: 400,
  malformed_header: 400,
  invalid_payload: 400,
  invalid_signature: 401,
  timestamp_out_of_tolerance: 401,
  forbidden_source: 403,
  delivery_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  handler_failed: 500,
  verification_key_unavailable: 503,
  replay_store_unavailable: 503,
  handler_timeout: 503,
  queue_unavailable: 503,
  forward_failed: 503,
};

const ALL_CODES = Object.values(ErrorCode);
const anyString: unknown = expect.any(String);

describe("toErrorResponse", () => {
  it("the design table covers every ErrorCode", () => {
    expect([...ALL_CODES].sort()).toEqual(Object.keys(DESIGN_STATUS).sort());
  });

  it.each(ALL_CODES)("maps a DeliveryRejectedError %s to its documented status", (code) => {
    const response = toErrorResponse(new DeliveryRejectedError(code, "for the sender"));
    expect(response.status).toBe(DESIGN_STATUS[code]);
    expect(response.code).toBe(code);
    expect(response.body).toEqual({ error: code, message: anyString });
  });

  it.each(ALL_CODES)("maps a DeliveryFailedError %s to its documented status", (code) => {
    const response = toErrorResponse(new DeliveryFailedError(code, "try again"));
    expect(response.status).toBe(DESIGN_STATUS[code]);
    expect(response.body.error).toBe(code);
  });

  it.each(ALL_CODES.filter((code) => DESIGN_STATUS[code] === 503))("gives 503 %s a positive Retry-After", (code) => {
    const retryAfter = toErrorResponse(new DeliveryFailedError(code, "later")).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
  });

  it("uses the error's own retryAfterSeconds when given", () => {
    const error = new DeliveryFailedError(ErrorCode.VERIFICATION_KEY_UNAVAILABLE, "later", { retryAfterSeconds: 17 });
    expect(toErrorResponse(error).retryAfterSeconds).toBe(17);
  });

  it("gives 4xx client errors no Retry-After", () => {
    for (const code of [ErrorCode.INVALID_SIGNATURE, ErrorCode.MALFORMED_HEADER, ErrorCode.PAYLOAD_TOO_LARGE]) {
      expect(toErrorResponse(new DeliveryRejectedError(code, "no")).retryAfterSeconds).toBeUndefined();
    }
  });

  it("maps HandlerFailedError to 500 handler_failed without the handlers' messages", () => {
    const error = new HandlerFailedError([new Error("db password is hunter2")], "evt_1", "response.completed");
    const response = toErrorResponse(error);
    expect(response.status).toBe(500);
    expect(response.code).toBe("handler_failed");
    expect(response.body.error).toBe("handler_failed");
    expect(JSON.stringify(response)).not.toContain("hunter2");
  });

  it.each([
    ["an Error", new Error("internal detail sk-live-123")],
    ["a TypeError", new TypeError("internal detail sk-live-123")],
    ["a string", "internal detail sk-live-123"],
    ["an object with a code", { code: "invalid_signature", message: "internal detail sk-live-123" }],
    ["a WebhookError with an unknown code", new WebhookError("oauth_failed", "internal detail sk-live-123")],
    ["a ConfigError", new ConfigError("CLIENT_SECRET", "internal detail sk-live-123")],
    ["undefined", undefined],
    ["null", null],
  ])("maps %s to 500 internal_error without leaking its message", (_label, thrown) => {
    const response = toErrorResponse(thrown);
    expect(response.status).toBe(500);
    expect(response.code).toBe("internal_error");
    expect(response.body).toEqual({ error: "internal_error", message: anyString });
    expect(JSON.stringify(response)).not.toContain("sk-live-123");
    expect(response.retryAfterSeconds).toBeUndefined();
  });

  it("never includes a stack in the body", () => {
    const error = new Error("x");
    const response = toErrorResponse(error);
    expect(JSON.stringify(response.body)).not.toContain(" at ");
  });

  it("maps a HandlerFailedError of retryable forward failures only to 503 forward_failed with the longest Retry-After", () => {
    const busy = new ForwardError("busy", { retryable: true, retryAfterMs: 7_500, status: 429, host: "internal:443" });
    const down = new ForwardError("down", { retryable: true, status: 500, host: "internal:443" });
    const response = toErrorResponse(new HandlerFailedError([busy, down], "evt_1", "response.completed"));
    expect(response).toMatchObject({ status: 503, code: "forward_failed", retryAfterSeconds: 8 });
    expect(toErrorResponse(new HandlerFailedError([down], "evt_1", "x")).retryAfterSeconds).toBe(5);
  });

  it("keeps 500 handler_failed when a forward failure is permanent or a handler of the user failed too", () => {
    const refused = new ForwardError("refused", { retryable: false, status: 400, host: "internal:443" });
    const down = new ForwardError("down", { retryable: true, status: 500, host: "internal:443" });
    expect(toErrorResponse(new HandlerFailedError([refused], "evt_1", "x")).code).toBe("handler_failed");
    expect(toErrorResponse(new HandlerFailedError([down, new Error("user handler")], "evt_1", "x")).code).toBe("handler_failed");
    expect(new HandlerFailedError([refused], "evt_1", "x").permanent).toBe(true);
    expect(new HandlerFailedError([refused, new Error("user handler")], "evt_1", "x").permanent).toBe(false);
    expect(new HandlerFailedError([refused, down], "evt_1", "x").permanent).toBe(false);
  });
});
