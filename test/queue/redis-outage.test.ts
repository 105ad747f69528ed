// Redis stopped and started under queue mode with workers running: 503 queue_unavailable meanwhile, then every acknowledged event handled exactly once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { TEST_SECRET } from "../support/service.js";
import { eventually, freePort, killAll, redisServer } from "../replay/redis-test-support.js";
import { counted, startQueueService } from "./queue-test-support.js";

const AOF = mkdtempSync(join(tmpdir(), "cwr-queue-aof-"));
afterAll(() => {
  killAll();
  rmSync(AOF, { recursive: true, force: true });
});

describe("queue mode across a Redis restart", () => {
  it("answers 503 queue_unavailable while Redis is down, then handles every event exactly once as the sender retries", { timeout: 120_000 }, async () => {
    const redis = redisServer(await freePort(), AOF);
    await redis.start();
    const runs = new Map<string, number>();
    const handled = counted();
    const service = await startQueueService(
      "cwr-outage:",
      { REPLAY_STORE: redis.url, WORKER_CONCURRENCY: "4", JOB_LOCK_MS: "2000" },
      {
        register: (receiver) =>
          receiver.on("*", (event) => {
            runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
            handled.add();
          }),
      },
    );
    try {
      const bodies = Array.from({ length: 30 }, () => uniqueEvent());
      const deliver = (body: Buffer) => service.post(body, chatgptHeaders(body, TEST_SECRET)).then((r) => r.status);
      const statuses = new Map<Buffer, number>();
      // The first ten while Redis is up, the next ten while it is down, the last ten after it is back.
      for (const body of bodies.slice(0, 10)) statuses.set(body, await deliver(body));
      expect([...statuses.values()]).toEqual(Array(10).fill(202));
      await redis.kill();
      const codes = new Set<string>();
      for (const body of bodies.slice(10, 20)) {
        const answer = await service.post(body, chatgptHeaders(body, TEST_SECRET));
        statuses.set(body, answer.status);
        codes.add(((await answer.json()) as { error?: string }).error ?? "");
      }
      expect(new Set([...statuses.values()].slice(10))).toEqual(new Set([503]));
      // One Redis holds the claims and the queue; in queue mode either failing is the queue's.
      expect([...codes]).toEqual(["queue_unavailable"]);
      await redis.start();
      expect(await eventually(async () => (await deliver(bodies[10]!)) !== 503, 30_000)).toBe(true);
      // The sender retries every delivery that got no 2xx, and sends the rest.
      for (const body of bodies) {
        if ((statuses.get(body) ?? 0) >= 300 || !statuses.has(body)) {
          expect(await eventually(async () => [200, 202].includes(await deliver(body)), 30_000)).toBe(true);
        }
      }
      await handled.reach(30, 60_000);
      const ids = bodies.map((body) => (JSON.parse(body.toString()) as { id: string }).id);
      expect(ids.map((id) => runs.get(id))).toEqual(ids.map(() => 1));
      // Late duplicates of everything change nothing.
      for (const body of bodies.slice(0, 5)) expect(await deliver(body)).toBe(200);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await service.shutdown();
      await redis.kill();
    }
  });
});
