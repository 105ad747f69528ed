// loadQueueLocation: the events commands find the queue as serve does, whatever DISPATCH says, with no secret needed.
import { describe, expect, it } from "vitest";
import { loadQueueLocation } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/errors.js";

function variableAtFault(env: Record<string, string>): string | undefined {
  try {
    loadQueueLocation(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).variable;
  }
  return undefined;
}

describe("loadQueueLocation", () => {
  it("takes QUEUE_URL, else a Redis REPLAY_STORE, with REDIS_KEY_PREFIX (default cwr:)", () => {
    expect(loadQueueLocation({ QUEUE_URL: "redis://q:6379/1", REPLAY_STORE: "redis://r:6379" })).toEqual({ url: "redis://q:6379/1", keyPrefix: "cwr:" });
    expect(loadQueueLocation({ REPLAY_STORE: "redis://r:6379", REDIS_KEY_PREFIX: "app:" })).toEqual({ url: "redis://r:6379", keyPrefix: "app:" });
  });

  it("names the variable at fault", () => {
    expect(variableAtFault({})).toBe("QUEUE_URL");
    expect(variableAtFault({ QUEUE_URL: "amqp://mq" })).toBe("QUEUE_URL");
    expect(variableAtFault({ REPLAY_STORE: "mysql://db" })).toBe("REPLAY_STORE");
    expect(variableAtFault({ QUEUE_URL: "redis://q", REDIS_KEY_PREFIX: "bad prefix" })).toBe("REDIS_KEY_PREFIX");
  });
});
