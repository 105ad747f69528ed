// Which errors reach BullMQ as "connection closed" (it waits and retries those) and which stay as they are.
import { ConnectionClosedError } from "bullmq";
import { ClientClosedError, ClientOfflineError, SocketClosedUnexpectedlyError } from "redis";
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { bullmqConnection, isConnectionLoss } from "../../../src/queue/bullmq-connection.js";
import type { RedisClient } from "../../../src/redis/redis-connection.js";

function systemError(code: string): Error {
  return Object.assign(new Error(`read ${code}`), { code });
}

describe("isConnectionLoss", () => {
  it("recognizes node-redis' offline and closed errors, lost sockets and a loading Redis", () => {
    for (const error of [
      new ClientOfflineError(),
      new ClientClosedError(),
      new SocketClosedUnexpectedlyError(),
      systemError("ECONNRESET"),
      systemError("ECONNREFUSED"),
      systemError("EPIPE"),
      new Error("LOADING Redis is loading the dataset in memory"),
    ]) {
      expect(isConnectionLoss(error), error.message).toBe(true);
    }
  });

  it("leaves command errors and anything else alone", () => {
    for (const error of [new Error("ERR unknown command"), new Error("NOSCRIPT No matching script"), systemError("ENOENT"), "text", undefined]) {
      expect(isConnectionLoss(error)).toBe(false);
    }
  });
});

describe("bullmqConnection", () => {
  const fake = {
    get: () => Promise.reject(new ClientOfflineError()),
    set: () => Promise.reject(new Error("ERR wrong number of arguments")),
    isReady: false,
    duplicate(): unknown {
      return fake;
    },
  };
  const client = bullmqConnection(fake as unknown as RedisClient);

  it("rejects a command cut off by a lost connection with BullMQ's ConnectionClosedError", async () => {
    await expect(client.get("k")).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("passes other errors and plain properties through, also on duplicates", async () => {
    await expect(client.set("k", "v")).rejects.toThrow("ERR wrong number of arguments");
    expect(client.isReady).toBe(false);
    await expect(client.duplicate().get("k")).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe("error listeners added through bullmqConnection", () => {
  it("never throw out of the client's emit (BullMQ re-emits on a wrapper nobody listens to after close), and can be removed", () => {
    const raw = new EventEmitter();
    const client = bullmqConnection(raw as unknown as RedisClient);
    const rethrow = (error: unknown) => {
      throw error;
    };
    client.on("error", rethrow);
    expect(() => raw.emit("error", new Error("read ECONNRESET"))).not.toThrow();
    client.off("error", rethrow);
    expect(raw.listenerCount("error")).toBe(0);
    // Other events are untouched.
    const seen: unknown[] = [];
    client.on("ready", () => seen.push("ready"));
    raw.emit("ready");
    expect(seen).toEqual(["ready"]);
  });
});

