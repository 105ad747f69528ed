// resolveOptions: the library's defaults and one ConfigError per bad option.
import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/clock.js";
import { ConfigError } from "../../../src/errors.js";
import type { KeySource } from "../../../src/keys/key-source.js";
import { createMemoryReplayStore } from "../../../src/replay/memory-replay-store.js";
import { resolveOptions, type ReceiverOptions } from "../../../src/receiver/options.js";

const SECRET = "options-test-secret-0123456789";
const WHSEC = `whsec_${Buffer.alloc(32, 0x22).toString("base64")}`;
const keySource: KeySource = { getKeys: () => [{ secret: SECRET }], readiness: () => ({ ready: true }) };

function configError(options: ReceiverOptions): ConfigError {
  try {
    resolveOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected resolveOptions to throw");
}

describe("resolveOptions", () => {
  it("applies the defaults", () => {
    const config = resolveOptions({ secret: SECRET });
    expect(config).toEqual(
      expect.objectContaining({
        scheme: "chatgpt",
        toleranceSeconds: 300,
        maxBodyBytes: 1_048_576,
        handlerTimeoutMs: 10_000,
        replayMaxEntries: 100_000,
        rateLimitPerMinute: 600,
        rateLimitFailuresPerMinute: 30,
        replayStore: undefined,
        logger: undefined,
        registry: undefined,
      }),
    );
    expect(typeof config.clock.now()).toBe("number");
  });

  it("serves a string secret's comma-separated list as static keys", async () => {
    const config = resolveOptions({ secret: ` ${SECRET} , ${SECRET}-2 ` });
    expect(await config.keySource.getKeys()).toEqual([
      expect.objectContaining({ secret: SECRET }),
      expect.objectContaining({ secret: `${SECRET}-2` }),
    ]);
  });

  it("serves an array of secrets as given", async () => {
    const config = resolveOptions({ scheme: "standard", secret: [WHSEC, SECRET] });
    expect((await config.keySource.getKeys()).map((key) => key.secret)).toEqual([WHSEC, SECRET]);
  });

  it("uses a given keySource, replay store and clock as they are", () => {
    const clock: Clock = { now: () => 42 };
    const replayStore = createMemoryReplayStore({ maxEntries: 1 });
    const config = resolveOptions({ keySource, replayStore, clock, toleranceSeconds: 60, scheme: "standard" });
    expect(config.keySource).toBe(keySource);
    expect(config.replayStore).toBe(replayStore);
    expect(config.clock).toBe(clock);
    expect(config.toleranceSeconds).toBe(60);
    expect(config.scheme).toBe("standard");
  });

  it("accepts the bounds of each number", () => {
    expect(resolveOptions({ secret: SECRET, toleranceSeconds: 1 }).toleranceSeconds).toBe(1);
    expect(resolveOptions({ secret: SECRET, toleranceSeconds: 86_400 }).toleranceSeconds).toBe(86_400);
    expect(resolveOptions({ secret: SECRET, rateLimitPerMinute: 0 }).rateLimitPerMinute).toBe(0);
  });

  it.each([
    ["toleranceSeconds", 0],
    ["toleranceSeconds", -5],
    ["toleranceSeconds", 1.5],
    ["toleranceSeconds", Number.NaN],
    ["toleranceSeconds", Number.POSITIVE_INFINITY],
    ["toleranceSeconds", 86_401],
    ["toleranceSeconds", "300"],
    ["maxBodyBytes", 0],
    ["handlerTimeoutMs", -1],
    ["replayMaxEntries", 0],
    ["rateLimitPerMinute", -1],
    ["rateLimitFailuresPerMinute", 0.5],
    ["workerConcurrency", -1],
    ["jobAttempts", 0],
    ["jobBackoffMs", 3_600_001],
  ])("refuses %s=%j naming the option", (option, value) => {
    const error = configError({ secret: SECRET, [option]: value });
    expect(error).toEqual(expect.objectContaining({ variable: option, code: "invalid_config" }));
    expect(error.message).not.toContain(SECRET);
  });

  it("defaults to inline dispatch, and queue dispatch needs a queueConnection", () => {
    expect(resolveOptions({ secret: SECRET })).toMatchObject({ queue: undefined, workerConcurrency: 8, jobAttempts: 10, jobBackoffMs: 1_000 });
    expect(configError({ secret: SECRET, dispatch: "queue" }).variable).toBe("queueConnection");
    expect(configError({ secret: SECRET, dispatch: "bullmq" as "queue" }).variable).toBe("dispatch");
  });

  it("refuses an unknown scheme", () => {
    expect(configError({ secret: SECRET, scheme: "other" as "chatgpt" })).toEqual(expect.objectContaining({ variable: "scheme" }));
  });

  it("refuses secret and keySource together", () => {
    expect(configError({ secret: SECRET, keySource })).toEqual(expect.objectContaining({ variable: "secret" }));
  });

  it("refuses neither secret nor keySource", () => {
    expect(configError({})).toEqual(expect.objectContaining({ variable: "secret" }));
  });

  it.each<[string, ReceiverOptions, string]>([
    ["an empty secret", { secret: "" }, ""],
    ["an empty secret list", { secret: [] }, ""],
    ["a short secret", { secret: "fifteen-bytes!!" }, "fifteen-bytes!!"],
    ["a short secret in an array", { secret: [SECRET, "short-secret"] }, "short-secret"],
    ["a malformed whsec_ in standard", { scheme: "standard", secret: "whsec_***not-base64***-long-enough" }, "***not-base64***"],
    ["a whsec_ decoding under 16 bytes", { scheme: "standard", secret: `whsec_${Buffer.alloc(8).toString("base64")}` }, "AAAAAAAAAAA="],
  ])("refuses %s, naming secret and never echoing it", (_label, options, secret) => {
    const error = configError(options);
    expect(error).toEqual(expect.objectContaining({ variable: "secret", code: "invalid_config" }));
    if (secret.length > 0) expect(error.message).not.toContain(secret);
  });
});
