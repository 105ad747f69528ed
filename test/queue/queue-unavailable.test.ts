// Queue mode fails closed: a stopped or stalled queue Redis answers 503 queue_unavailable with Retry-After, and releases the claim.
import { afterAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import { eventually, freePort, killAll, redisServer } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { inspectQueue } from "./queue-test-support.js";

afterAll(killAll);

const send = (service: TestService, body: Buffer): Promise<Response> => service.post(body, chatgptHeaders(body, TEST_SECRET));

describe("queue mode with its Redis unavailable", () => {
  it("answers 503 queue_unavailable while Redis is stalled or down, then queues the sender's retry once it is back", async () => {
    const redis = redisServer(await freePort());
    await redis.start();
    // Receive only, with the replay store in memory: only the queue depends on this Redis.
    const service = await startTestService({ DISPATCH: "queue", QUEUE_URL: redis.url, WORKER_CONCURRENCY: "0", REDIS_KEY_PREFIX: "q:" });
    const admin = createClient({ url: redis.url });
    try {
      expect((await send(service, uniqueEvent())).status).toBe(202);

      // Stalled: writes paused past the enqueue bound (1 s). The add may land later: its job id dedupes it.
      await admin.connect();
      await admin.sendCommand(["CLIENT", "PAUSE", "2500", "WRITE"]);
      const stalled = uniqueEvent();
      const started = performance.now();
      const slow = await send(service, stalled);
      expect(slow.status).toBe(503);
      expect(await slow.json()).toMatchObject({ error: "queue_unavailable" });
      expect(slow.headers.get("retry-after")).toBe("2");
      expect(performance.now() - started).toBeLessThan(2_400);
      await admin.sendCommand(["CLIENT", "UNPAUSE"]);
      expect((await send(service, stalled)).status).toBe(202);
      const view = await inspectQueue("q:", redis.url);
      try {
        expect(await view.queue.getJobCountByTypes("waiting")).toBe(2);
      } finally {
        await view.close();
      }
      admin.destroy();

      // Down.
      await redis.kill();
      const lost = uniqueEvent();
      for (let i = 0; i < 2; i++) {
        const answer = await send(service, lost);
        expect(answer.status).toBe(503); // the claim was released: never 409 for the retry
        expect(await answer.json()).toMatchObject({ error: "queue_unavailable" });
        expect(answer.headers.get("retry-after")).toBe("2");
      }
      expect((await service.receiver.readiness()).checks.queue?.ready).toBe(false);

      await redis.start();
      expect(await eventually(async () => (await service.receiver.readiness()).checks.queue?.ready === true, 10_000)).toBe(true);
      expect((await send(service, lost)).status).toBe(202);
    } finally {
      if (admin.isOpen) admin.destroy();
      await service.shutdown();
      await redis.kill();
    }
  });
});
