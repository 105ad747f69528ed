// loadServiceConfig: the defaults of the README configuration table and one ConfigError per bad variable.
import { describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/errors.js";

const SECRET = "env-test-secret-0123456789abcdef";
const WHSEC = `whsec_${Buffer.alloc(32, 0x11).toString("base64")}`;

/** The static secrets of a loaded configuration. */
function secretsOf(env: Record<string, string | undefined>): readonly string[] | undefined {
  const { keys } = loadServiceConfig(env);
  return keys.kind === "static" ? keys.secrets : undefined;
}

/** The ConfigError thrown by loading `env`, or a failure when none is thrown. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadServiceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected loadServiceConfig to throw");
}

describe("loadServiceConfig defaults", () => {
  it("applies every default of the README configuration table given only a secret", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET })).toEqual({
      host: "0.0.0.0",
      port: 8080,
      ops: undefined,
      path: "/webhooks/chatgpt",
      scheme: "chatgpt",
      keys: { kind: "static", secrets: [SECRET] },
      toleranceSeconds: 300,
      maxBodyBytes: 1_048_576,
      handlerTimeoutMs: 10_000,
      replayStore: { kind: "memory" },
      replayMaxEntries: 100_000,
      replayRetentionSeconds: 345_600,
      rateLimitPerMinute: 600,
      rateLimitFailuresPerMinute: 30,
      rateLimitSyncMs: 100,
      dispatch: { kind: "inline" },
      workerConcurrency: 8,
      jobAttempts: 10,
      jobBackoffMs: 1_000,
      jobLockMs: 30_000,
      handlersModule: undefined,
      forward: undefined,
      trustProxy: undefined,
      logLevel: "info",
    });
  });

  it("treats empty and blank values as unset", () => {
    const config = loadServiceConfig({
      WEBHOOK_SECRET: SECRET,
      PORT: "",
      WEBHOOK_TOLERANCE_SECONDS: "  ",
      WEBHOOK_SCHEME: "",
      LOG_LEVEL: " ",
      REPLAY_STORE: "",
    });
    expect(config).toEqual(expect.objectContaining({ port: 8080, toleranceSeconds: 300, scheme: "chatgpt", logLevel: "info" }));
  });
});

describe("loadServiceConfig values", () => {
  it("reads every variable", () => {
    const config = loadServiceConfig({
      HOST: "127.0.0.1",
      PORT: "0",
      WEBHOOK_PATH: "/hooks/openai",
      WEBHOOK_SCHEME: "standard",
      WEBHOOK_TOLERANCE_SECONDS: "60",
      WEBHOOK_MAX_BODY_BYTES: "2048",
      WEBHOOK_SECRET: ` ${WHSEC} , ${SECRET} ,`,
      REPLAY_STORE: "memory",
      DISPATCH: "queue",
      QUEUE_URL: "redis://queue.internal:6379/1",
      WORKER_CONCURRENCY: "0",
      JOB_ATTEMPTS: "3",
      JOB_BACKOFF_MS: "50",
      JOB_LOCK_MS: "2000",
      REPLAY_MAX_ENTRIES: "10",
      REPLAY_RETENTION_SECONDS: "86400",
      HANDLERS: "./handlers.js",
      HANDLER_TIMEOUT_MS: "2500",
      RATE_LIMIT_PER_MINUTE: "0",
      RATE_LIMIT_FAILURES_PER_MINUTE: "5",
      RATE_LIMIT_SYNC_MS: "0",
      TRUST_PROXY: "1",
      OPS_PORT: "9090",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "pretty",
    });
    expect(config).toEqual({
      host: "127.0.0.1",
      port: 0,
      ops: { host: "127.0.0.1", port: 9090 },
      path: "/hooks/openai",
      scheme: "standard",
      keys: { kind: "static", secrets: [WHSEC, SECRET] },
      toleranceSeconds: 60,
      maxBodyBytes: 2048,
      handlerTimeoutMs: 2500,
      replayStore: { kind: "memory" },
      replayMaxEntries: 10,
      replayRetentionSeconds: 86_400,
      rateLimitPerMinute: 0,
      rateLimitFailuresPerMinute: 5,
      rateLimitSyncMs: 0,
      dispatch: { kind: "queue", url: "redis://queue.internal:6379/1", keyPrefix: "cwr:" },
      workerConcurrency: 0,
      jobAttempts: 3,
      jobBackoffMs: 50,
      jobLockMs: 2_000,
      handlersModule: "./handlers.js",
      forward: undefined,
      trustProxy: 1,
      logLevel: "debug",
      logFormat: "pretty",
    });
  });

  it.each([
    ["false", false],
    ["2", 2],
    ["loopback", "loopback"],
    ["loopback, 10.0.0.0/8", "loopback, 10.0.0.0/8"],
    ["10.0.0.0/8, 127.0.0.1", "10.0.0.0/8, 127.0.0.1"],
    ["2001:db8::/32,uniquelocal", "2001:db8::/32,uniquelocal"],
    ["10.0.0.0/255.0.0.0", "10.0.0.0/255.0.0.0"],
  ])("reads TRUST_PROXY=%j", (raw, expected) => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each(["true", "TRUE", "0.0.0.0/0", "10.0.0.0/8, ::/0", "::ffff:0.0.0.0/96", "10.0.0.0/0.0.0.0"])(
    "refuses TRUST_PROXY=%j, which trusts every hop (any client could pick its address), naming the variable",
    (raw) => {
      const error = configError({ WEBHOOK_SECRET: SECRET, TRUST_PROXY: raw });
      expect(error.variable).toBe("TRUST_PROXY");
      expect(error.message).not.toContain("\n");
    },
  );

  it.each(["yes", "10.0.0.0/33", "loopback,,", "300.1.1.1", "10.0.0.0/255.0.255.0", "1.5", "-1", "example.com"])("refuses a malformed TRUST_PROXY=%j", (raw) => {
    expect(configError({ WEBHOOK_SECRET: SECRET, TRUST_PROXY: raw }).variable).toBe("TRUST_PROXY");
  });

  it("reads ALLOWED_SOURCE_IPS as trimmed entries (unset: every source)", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET }).allowedSourceIps).toBeUndefined();
    const config = loadServiceConfig({ WEBHOOK_SECRET: SECRET, ALLOWED_SOURCE_IPS: " 203.0.113.0/24, 2001:db8::1 " });
    expect(config.allowedSourceIps).toEqual(["203.0.113.0/24", "2001:db8::1"]);
  });

  it.each(["203.0.113.0/33", "10.0.0.1,,10.0.0.2", "gateway.example", "2001:db8::/200"])("refuses ALLOWED_SOURCE_IPS=%j in one line naming the variable", (raw) => {
    const error = configError({ WEBHOOK_SECRET: SECRET, ALLOWED_SOURCE_IPS: raw });
    expect(error.variable).toBe("ALLOWED_SOURCE_IPS");
    expect(error.message).toMatch(/^ALLOWED_SOURCE_IPS: /);
    expect(error.message).not.toContain("\n");
  });

  it("reads OPS_HOST only with OPS_PORT, which moves the ops endpoints to their own listener", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, OPS_HOST: "0.0.0.0" }).ops).toBeUndefined();
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, OPS_PORT: "9464", OPS_HOST: "10.1.2.3" }).ops).toEqual({ host: "10.1.2.3", port: 9464 });
    expect(configError({ WEBHOOK_SECRET: SECRET, OPS_PORT: "metrics" }).variable).toBe("OPS_PORT");
  });

  it.each(["fatal", "error", "warn", "info", "debug", "trace", "silent"])("accepts LOG_LEVEL=%s", (level) => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it("leaves LOG_FORMAT to the command when unset or blank, and reads json and pretty", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET }).logFormat).toBeUndefined();
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, LOG_FORMAT: " " }).logFormat).toBeUndefined();
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
  });

  it.each(["xml", "JSON", "text"])("refuses LOG_FORMAT=%s, naming the variable", (raw) => {
    expect(configError({ WEBHOOK_SECRET: SECRET, LOG_FORMAT: raw }).variable).toBe("LOG_FORMAT");
  });

  it("accepts the tolerance bounds", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, WEBHOOK_TOLERANCE_SECONDS: "1" }).toleranceSeconds).toBe(1);
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, WEBHOOK_TOLERANCE_SECONDS: "86400" }).toleranceSeconds).toBe(86_400);
  });

  it("uses a whsec_ secret as UTF-8 text in the chatgpt scheme (no base64 check)", () => {
    expect(secretsOf({ WEBHOOK_SECRET: "whsec_not*base64*but*long" })).toEqual(["whsec_not*base64*but*long"]);
  });

  it("accepts PORT 65535", () => {
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, PORT: "65535" }).port).toBe(65_535);
  });
});

describe("loadServiceConfig errors", () => {
  it.each([
    ["WEBHOOK_TOLERANCE_SECONDS", "abc"],
    ["WEBHOOK_TOLERANCE_SECONDS", "0"],
    ["WEBHOOK_TOLERANCE_SECONDS", "-5"],
    ["WEBHOOK_TOLERANCE_SECONDS", "1.5"],
    ["WEBHOOK_TOLERANCE_SECONDS", "3e2"],
    ["WEBHOOK_TOLERANCE_SECONDS", "0x10"],
    ["WEBHOOK_TOLERANCE_SECONDS", "86401"],
    ["WEBHOOK_MAX_BODY_BYTES", "0"],
    ["WEBHOOK_MAX_BODY_BYTES", "1mb"],
    ["HANDLER_TIMEOUT_MS", "-1"],
    ["REPLAY_MAX_ENTRIES", "0"],
    ["REPLAY_RETENTION_SECONDS", "0"],
    ["REPLAY_RETENTION_SECONDS", "4 days"],
    ["RATE_LIMIT_PER_MINUTE", "-1"],
    ["RATE_LIMIT_FAILURES_PER_MINUTE", "many"],
    ["PORT", "70000"],
    ["PORT", "65536"],
    ["PORT", "-1"],
    ["PORT", "http"],
    ["PORT", "80.5"],
    ["WEBHOOK_SCHEME", "other"],
    ["WEBHOOK_SCHEME", "Standard"],
    ["REPLAY_STORE", "postgres"],
    ["REPLAY_STORE", "http://localhost:6379"],
    ["REPLAY_STORE", "redis://"],
    ["DISPATCH", "bullmq"],
    ["WORKER_CONCURRENCY", "-1"],
    ["JOB_ATTEMPTS", "0"],
    ["JOB_BACKOFF_MS", "3600001"],
    ["JOB_LOCK_MS", "999"],
    ["RATE_LIMIT_SYNC_MS", "-1"],
    ["RATE_LIMIT_SYNC_MS", "10001"],
    ["LOG_LEVEL", "bogus"],
    ["LOG_LEVEL", "INFO"],
    ["WEBHOOK_PATH", "webhooks"],
    ["WEBHOOK_PATH", "/a b"],
  ])("refuses %s=%j naming the variable", (variable, value) => {
    const error = configError({ WEBHOOK_SECRET: SECRET, [variable]: value });
    expect(error).toEqual(expect.objectContaining({ variable, code: "invalid_config" }));
    expect(error.message).not.toContain(SECRET);
  });

  it("reads a Redis REPLAY_STORE with its key prefix, and never echoes a Redis password", () => {
    const config = loadServiceConfig({ WEBHOOK_SECRET: SECRET, REPLAY_STORE: "redis://:pw@127.0.0.1:6379/2", REDIS_KEY_PREFIX: "app1:" });
    expect(config.replayStore).toEqual({ kind: "redis", url: "redis://:pw@127.0.0.1:6379/2", keyPrefix: "app1:" });
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, REPLAY_STORE: "rediss://h:6380" }).replayStore).toMatchObject({ keyPrefix: "cwr:" });
    expect(configError({ WEBHOOK_SECRET: SECRET, REPLAY_STORE: "redis://h", REDIS_KEY_PREFIX: "has space" }).variable).toBe("REDIS_KEY_PREFIX");
    const error = configError({ WEBHOOK_SECRET: SECRET, REPLAY_STORE: "postgres://user:hunter2@db" });
    expect(error.message).not.toContain("hunter2");
  });

  it("takes the queue's Redis from QUEUE_URL, else a Redis REPLAY_STORE, and stops queue mode without one", () => {
    const shared = loadServiceConfig({ WEBHOOK_SECRET: SECRET, DISPATCH: "queue", REPLAY_STORE: "redis://:pw@10.0.0.5:6379", REDIS_KEY_PREFIX: "app1:" });
    expect(shared.dispatch).toEqual({ kind: "queue", url: "redis://:pw@10.0.0.5:6379", keyPrefix: "app1:" });
    expect(configError({ WEBHOOK_SECRET: SECRET, DISPATCH: "queue" }).variable).toBe("QUEUE_URL");
    const bad = configError({ WEBHOOK_SECRET: SECRET, DISPATCH: "queue", QUEUE_URL: "amqp://u:hunter2@mq" });
    expect(bad.variable).toBe("QUEUE_URL");
    expect(bad.message).not.toContain("hunter2");
    expect(loadServiceConfig({ WEBHOOK_SECRET: SECRET, QUEUE_URL: "redis://h" }).dispatch).toEqual({ kind: "inline" });
  });

  it("refuses WEBHOOK_SECRET together with WEBHOOK_KEY_URL", () => {
    const error = configError({ WEBHOOK_SECRET: SECRET, WEBHOOK_KEY_URL: "https://keys.example/webhook-key" });
    expect(error).toEqual(expect.objectContaining({ variable: "WEBHOOK_SECRET" }));
    expect(error.message).not.toContain(SECRET);
  });

  it("requires WEBHOOK_SECRET", () => {
    expect(configError({})).toEqual(expect.objectContaining({ variable: "WEBHOOK_SECRET" }));
    expect(configError({ WEBHOOK_SECRET: "   " })).toEqual(expect.objectContaining({ variable: "WEBHOOK_SECRET" }));
    expect(configError({ WEBHOOK_SECRET: " , ," })).toEqual(expect.objectContaining({ variable: "WEBHOOK_SECRET" }));
  });

  it.each([
    ["a secret shorter than 16 bytes", "chatgpt", "fifteen-bytes!!"],
    ["a short secret in a list", "chatgpt", `${SECRET},tiny-secret`],
    ["a short secret, standard scheme", "standard", "0123456789abcde"],
    ["a malformed whsec_ (not base64)", "standard", "whsec_this*is*not*base64*at*all"],
    ["a malformed whsec_ (bad padding)", "standard", `whsec_${Buffer.alloc(32, 1).toString("base64")}===`],
    ["an empty whsec_", "standard", "whsec_"],
    ["a whsec_ decoding to under 16 bytes", "standard", `whsec_${Buffer.alloc(15, 1).toString("base64")}`],
  ])("refuses %s, naming WEBHOOK_SECRET and never echoing it", (_label, scheme, secret) => {
    const error = configError({ WEBHOOK_SCHEME: scheme, WEBHOOK_SECRET: secret });
    expect(error).toEqual(expect.objectContaining({ variable: "WEBHOOK_SECRET", code: "invalid_config" }));
    // Every secret of the list, minus the bare prefix the message may name.
    for (const part of secret.split(",").filter((entry) => entry !== "whsec_")) {
      expect(error.message).not.toContain(part);
      expect(String(error.stack)).not.toContain(part);
    }
  });

  it("accepts exactly 16 bytes", () => {
    expect(secretsOf({ WEBHOOK_SECRET: "sixteen-bytes!!!" })).toEqual(["sixteen-bytes!!!"]);
    const whsec16 = `whsec_${Buffer.alloc(16, 2).toString("base64")}`;
    expect(secretsOf({ WEBHOOK_SCHEME: "standard", WEBHOOK_SECRET: whsec16 })).toEqual([whsec16]);
  });

  it("never echoes a secret when another variable is at fault", () => {
    const error = configError({ WEBHOOK_SECRET: SECRET, PORT: "70000", LOG_LEVEL: "bogus" });
    expect(error.message).not.toContain(SECRET);
  });
});
