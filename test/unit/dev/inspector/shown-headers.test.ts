// The inspector's header view: signature values shortened, credentials hidden, names lower-cased and sorted.
import { describe, expect, it } from "vitest";
import { HIDDEN, shortenSignature, shownHeaders } from "../../../../src/dev/inspector/shown-headers.js";

const HEX = "a".repeat(64);
const B64 = "K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";

describe("shortenSignature", () => {
  it("keeps the version and the first 8 characters of each entry", () => {
    expect(shortenSignature(`v1=${HEX}`)).toBe("v1=aaaaaaaa…");
    expect(shortenSignature(`v1=${HEX}, v1=${"b".repeat(64)}`)).toBe("v1=aaaaaaaa…, v1=bbbbbbbb…");
    expect(shortenSignature(`v1,${B64} v1a,${B64}`)).toBe("v1,K5oZfzN9… v1a,K5oZfzN9…");
    expect(shortenSignature(HEX)).toBe("aaaaaaaa…");
  });

  it("leaves short values as they are", () => {
    expect(shortenSignature("v1=abc")).toBe("v1=abc");
    expect(shortenSignature("")).toBe("");
  });
});

describe("shownHeaders", () => {
  it("never shows a full signature, an authorization, a cookie or the dev token", () => {
    const shown = shownHeaders({
      "Content-Type": "application/json",
      "x-chatgpt-signature": `v1=${HEX}`,
      "webhook-signature": `v1,${B64}`,
      authorization: "Bearer secret-token-value",
      cookie: "session=secret-cookie",
      "x-dev-token": "secret-dev-token",
      "x-chatgpt-timestamp": "1700000000",
    });
    expect(shown).toEqual({
      authorization: HIDDEN,
      "content-type": "application/json",
      cookie: HIDDEN,
      "webhook-signature": "v1,K5oZfzN9…",
      "x-chatgpt-signature": "v1=aaaaaaaa…",
      "x-chatgpt-timestamp": "1700000000",
      "x-dev-token": HIDDEN,
    });
    expect(Object.keys(shown)).toEqual([...Object.keys(shown)].sort());
    const text = JSON.stringify(shown);
    for (const secret of [HEX, B64, "secret-token-value", "secret-cookie", "secret-dev-token"]) expect(text).not.toContain(secret);
  });

  it("reads fetch Headers and joins repeated Node headers", () => {
    expect(shownHeaders(new Headers({ "Webhook-Signature": `v1,${B64}`, "webhook-id": "msg_1" }))).toEqual({
      "webhook-id": "msg_1",
      "webhook-signature": "v1,K5oZfzN9…",
    });
    expect(shownHeaders({ "x-forwarded-for": ["10.0.0.1", "10.0.0.2"], absent: undefined })).toEqual({ "x-forwarded-for": "10.0.0.1, 10.0.0.2" });
  });
});
