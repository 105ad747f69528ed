// getHeader: plain records, case-insensitive fallback, repeated headers and fetch Headers.
import { describe, expect, it } from "vitest";
import { getHeader } from "../../../src/signature/headers.js";

describe("getHeader", () => {
  it("reads a lower-cased record key", () => {
    expect(getHeader({ "x-chatgpt-timestamp": "1700000000" }, "x-chatgpt-timestamp")).toBe("1700000000");
  });

  it("falls back to a case-insensitive match", () => {
    expect(getHeader({ "X-ChatGPT-Signature": "v1=abc" }, "x-chatgpt-signature")).toBe("v1=abc");
    expect(getHeader({ "WEBHOOK-ID": "msg_1" }, "webhook-id")).toBe("msg_1");
  });

  it("prefers the exact key over a case-insensitive one", () => {
    expect(getHeader({ "Webhook-Id": "second", "webhook-id": "first" }, "webhook-id")).toBe("first");
  });

  it("joins a repeated header (array) with a comma and space, as Node does", () => {
    expect(getHeader({ "x-chatgpt-signature": ["v1=aa", "v1=bb"] }, "x-chatgpt-signature")).toBe("v1=aa, v1=bb");
    expect(getHeader({ "X-Chatgpt-Signature": ["one"] }, "x-chatgpt-signature")).toBe("one");
  });

  it("returns undefined when absent or explicitly undefined", () => {
    expect(getHeader({}, "webhook-id")).toBeUndefined();
    expect(getHeader({ "webhook-id": undefined }, "webhook-id")).toBeUndefined();
    expect(getHeader({ "webhook-idx": "x" }, "webhook-id")).toBeUndefined();
  });

  it("keeps an empty value (present but empty)", () => {
    expect(getHeader({ "webhook-id": "" }, "webhook-id")).toBe("");
  });

  it("reads a fetch Headers object, case-insensitively, with undefined when absent", () => {
    const headers = new Headers({ "Webhook-Timestamp": "1700000000" });
    headers.append("webhook-signature", "v1,a");
    headers.append("webhook-signature", "v1,b");
    expect(getHeader(headers, "webhook-timestamp")).toBe("1700000000");
    expect(getHeader(headers, "webhook-signature")).toBe("v1,a, v1,b");
    expect(getHeader(headers, "webhook-id")).toBeUndefined();
  });

  it("uses any object with a get method", () => {
    const seen: string[] = [];
    const source = {
      get(name: string): string | null {
        seen.push(name);
        return name === "a" ? "1" : null;
      },
    };
    expect(getHeader(source, "a")).toBe("1");
    expect(getHeader(source, "b")).toBeUndefined();
    expect(seen).toEqual(["a", "b"]);
  });
});
