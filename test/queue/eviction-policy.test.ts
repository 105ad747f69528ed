// At start in queue mode: a private redis-server set to allkeys-lru makes the service log the eviction risk with its fields; one refusing CONFIG, a warning that it could not be checked.
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, killAll, redisServer } from "../replay/redis-test-support.js";
import { startTestService } from "../support/service.js";

afterAll(killAll);

describe("maxmemory-policy check", { timeout: 60_000 }, () => {
  it("logs at error, naming the policy and the Redis, when the queue's Redis may evict keys", async () => {
    const redis = redisServer(await freePort());
    await redis.start();
    const client = createClient({ url: redis.url });
    await client.connect();
    await client.configSet("maxmemory-policy", "allkeys-lru");
    client.destroy();
    const service = await startTestService({ REPLAY_STORE: redis.url, DISPATCH: "queue", WORKER_CONCURRENCY: "0" });
    try {
      const line = service.logs.find((entry) => entry.maxmemory_policy !== undefined);
      expect(line).toMatchObject({ level: 50, maxmemory_policy: "allkeys-lru", required_policy: "noeviction", redis: `${redis.url}` });
    } finally {
      await service.shutdown();
      await redis.kill();
    }
  });

  it("warns that the policy could not be checked when CONFIG is refused (as managed Redis does)", async () => {
    const redis = redisServer(await freePort(), undefined, ["--rename-command", "CONFIG", ""]);
    await redis.start();
    const service = await startTestService({ REPLAY_STORE: redis.url, DISPATCH: "queue", WORKER_CONCURRENCY: "0" });
    try {
      const line = service.logs.find((entry) => entry.required_policy !== undefined);
      expect(line).toMatchObject({ level: 40, required_policy: "noeviction", redis: redis.url });
      expect(line?.reason).toEqual(expect.any(String));
      expect(line?.maxmemory_policy).toBeUndefined();
    } finally {
      await service.shutdown();
      await redis.kill();
    }
  });
});
