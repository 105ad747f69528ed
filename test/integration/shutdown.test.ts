// Graceful shutdown with a delivery in flight: no new connections, the in-flight one finishes with 200.
import { describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startTestService, TEST_SECRET } from "../support/service.js";

describe("graceful shutdown", () => {
  it("stops accepting, lets the in-flight delivery finish, then resolves", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const service = await startTestService({}, {
      register: (receiver) =>
        receiver.on("*", async () => {
          started();
          await gate;
        }),
    });
    const body = uniqueEvent();
    const inFlight = service.post(body, chatgptHeaders(body, TEST_SECRET));
    await handlerStarted;
    expect(service.receiver.inFlight()).toBe(1);

    let stopped = false;
    const stopping = service.shutdown().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow(); // no new connections

    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed" });
    await stopping;
    expect(service.receiver.inFlight()).toBe(0);
  });
});
