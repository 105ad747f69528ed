// loadForwardConfig through loadServiceConfig: defaults, the FORWARD_* overrides, and one ConfigError per bad variable.
import { describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/errors.js";

const BASE = {
  WEBHOOK_SECRET: "env-test-secret-0123456789abcdef",
  FORWARD_URL: "https://events.internal.example/in",
  TOKEN_ENDPOINT: "https://auth.example/token",
  CLIENT_ID: "receiver",
  CLIENT_SECRET: "receiver-secret",
};
const WHSEC = `whsec_${Buffer.alloc(32, 0x22).toString("base64")}`;

function variableAtFault(env: Record<string, string | undefined>): string {
  try {
    loadServiceConfig({ ...BASE, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).variable;
  }
  throw new Error("expected loadServiceConfig to throw");
}

describe("forwarding configuration", () => {
  it("is undefined without FORWARD_URL", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: BASE.WEBHOOK_SECRET }).forward).toBeUndefined();
  });

  it("defaults to the key fetch's token endpoint and client, every type, no signature, 5000 ms", () => {
    expect(loadServiceConfig(BASE).forward).toEqual({
      url: BASE.FORWARD_URL,
      types: [],
      tokenEndpoint: BASE.TOKEN_ENDPOINT,
      clientId: "receiver",
      auth: { method: "client_secret_basic", clientSecret: "receiver-secret" },
      scopes: [],
      audience: undefined,
      signingSecret: undefined,
      timeoutMs: 5000,
    });
  });

  it("takes its own token endpoint, client, scopes, audience, types, secret and timeout", () => {
    const forward = loadServiceConfig({
      ...BASE,
      FORWARD_TOKEN_ENDPOINT: "https://other-auth.example/token",
      FORWARD_CLIENT_ID: "forwarder",
      FORWARD_CLIENT_SECRET: "forwarder-secret",
      FORWARD_CLIENT_AUTH_METHOD: "client_secret_post",
      FORWARD_TOKEN_SCOPES: "events:write  events:read",
      FORWARD_TOKEN_AUDIENCE: "https://events.internal.example/",
      FORWARD_TYPES: "batch.*, response.completed",
      FORWARD_SIGNING_SECRET: WHSEC,
      FORWARD_TIMEOUT_MS: "750",
    }).forward;
    expect(forward).toMatchObject({
      tokenEndpoint: "https://other-auth.example/token",
      clientId: "forwarder",
      auth: { method: "client_secret_post", clientSecret: "forwarder-secret" },
      scopes: ["events:write", "events:read"],
      audience: "https://events.internal.example/",
      types: ["batch.*", "response.completed"],
      signingSecret: WHSEC,
      timeoutMs: 750,
    });
  });

  it("allows http only on a loopback host or with FORWARD_ALLOW_HTTP=true", () => {
    expect(variableAtFault({ FORWARD_URL: "http://events.internal.example/in" })).toBe("FORWARD_URL");
    expect(loadServiceConfig({ ...BASE, FORWARD_URL: "http://127.0.0.1:9000/in" }).forward?.url).toBe("http://127.0.0.1:9000/in");
    expect(loadServiceConfig({ ...BASE, FORWARD_URL: "http://events.internal.example/in", FORWARD_ALLOW_HTTP: "true" }).forward?.url).toBe("http://events.internal.example/in");
  });

  it.each([
    [{ FORWARD_URL: "not a url" }, "FORWARD_URL"],
    [{ FORWARD_URL: "ftp://events.internal.example/" }, "FORWARD_URL"],
    [{ FORWARD_ALLOW_HTTP: "yes" }, "FORWARD_ALLOW_HTTP"],
    [{ TOKEN_ENDPOINT: undefined }, "TOKEN_ENDPOINT"],
    [{ FORWARD_TOKEN_ENDPOINT: "http://auth.example/token" }, "FORWARD_TOKEN_ENDPOINT"],
    [{ CLIENT_ID: undefined }, "CLIENT_ID"],
    [{ CLIENT_SECRET: undefined }, "CLIENT_SECRET"],
    [{ FORWARD_CLIENT_ID: "forwarder" }, "FORWARD_CLIENT_SECRET"],
    [{ FORWARD_CLIENT_SECRET: "lonely" }, "FORWARD_CLIENT_SECRET"],
    [{ FORWARD_CLIENT_ID: "f", FORWARD_CLIENT_SECRET: "s", FORWARD_CLIENT_AUTH_METHOD: "private_key_jwt" }, "FORWARD_CLIENT_AUTH_METHOD"],
    [{ FORWARD_TYPES: "batch.*, bad type" }, "FORWARD_TYPES"],
    [{ FORWARD_TYPES: "*" }, "FORWARD_TYPES"],
    [{ FORWARD_SIGNING_SECRET: "plain-secret-0123456789abcdef" }, "FORWARD_SIGNING_SECRET"],
    [{ FORWARD_SIGNING_SECRET: "whsec_!!!" }, "FORWARD_SIGNING_SECRET"],
    [{ FORWARD_SIGNING_SECRET: "whsec_c2hvcnQ=" }, "FORWARD_SIGNING_SECRET"],
    [{ FORWARD_TIMEOUT_MS: "0" }, "FORWARD_TIMEOUT_MS"],
    [{ FORWARD_TIMEOUT_MS: "5s" }, "FORWARD_TIMEOUT_MS"],
  ])("refuses %o naming %s", (env, variable) => {
    expect(variableAtFault(env)).toBe(variable);
  });

  it("never echoes a bad signing secret", () => {
    try {
      loadServiceConfig({ ...BASE, FORWARD_SIGNING_SECRET: "plain-secret-0123456789abcdef" });
    } catch (error) {
      expect((error as Error).message).not.toContain("plain-secret");
    }
  });
});
