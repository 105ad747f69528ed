// Redis stopped and started under queue mode with workers running: 503 queue_unavailable meanwhile,
// no busy loop in the workers, then every acknowledged event handled exactly once (also the ones
// whose handlers finished while Redis was away).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as outage } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { TEST_SECRET } from "../support/service.js";
import { eventually, freePort, killAll, redisServer } from "../replay/redis-test-support.js";
import { counted, inspectQueue, jobsCounted, newPrefix, startQueueService } from "./queue-test-support.js";

const AOF = mkdtempSync(join(tmpdir(), "cwr-queue-aof-"));
afterAll(() => {
  killAll();
  rmSync(AOF, { recursive: true, force: true });
});

/** How long Redis stays away: long enough for a busy loop to show, far shorter than the job lock. */
const OUTAGE_MS = 1_500;

describe("queue mode across a Redis restart", () => {
  it("answers 503 queue_unavailable while Redis is down, waits without spinning, then handles every event exactly once", { timeout: 120_000 }, async () => {
    const redis = redisServer(await freePort(), AOF);
    await redis.start();
    const prefix = newPrefix();
    const runs = new Map<string, number>();
    const started = counted();
    const handled = counted();
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const service = await startQueueService(
      prefix,
      // The lock outlives the outage: a job whose handler finished while Redis was away still holds it when Redis returns.
      { REPLAY_STORE: redis.url, WORKER_CONCURRENCY: "4", JOB_LOCK_MS: "30000" },
      {
        register: (receiver) =>
          receiver.on("*", async (event) => {
            runs.set(event.id, (runs.get(event.id) ?? 0) + 1);
            started.add();
            await gate;
            handled.add();
          }),
      },
    );
    try {
      const bodies = Array.from({ length: 30 }, () => uniqueEvent());
      const deliver = (body: Buffer) => service.post(body, chatgptHeaders(body, TEST_SECRET)).then((r) => r.status);
      const statuses = new Map<Buffer, number>();
      // The first ten while Redis is up: four of them are in their handlers when Redis goes away.
      for (const body of bodies.slice(0, 10)) statuses.set(body, await deliver(body));
      expect([...statuses.values()]).toEqual(Array(10).fill(202));
      await started.reach(4);
      await redis.kill();
      openGate();
      const errorsBefore = (await service.receiver.metrics.queueWorkerErrors.get()).values[0]?.value ?? 0;
      // The next ten while it is down.
      const codes = new Set<string>();
      for (const body of bodies.slice(10, 20)) {
        const answer = await service.post(body, chatgptHeaders(body, TEST_SECRET));
        statuses.set(body, answer.status);
        codes.add(((await answer.json()) as { error?: string }).error ?? "");
      }
      expect(new Set([...statuses.values()].slice(10))).toEqual(new Set([503]));
      // One Redis holds the claims and the queue; in queue mode either failing is the queue's.
      expect([...codes]).toEqual(["queue_unavailable"]);
      await outage(OUTAGE_MS);
      // Four handlers finished meanwhile; their jobs' completion waits for Redis.
      expect(handled.value).toBe(4);
      // Workers wait for Redis: a handful of errors (commands cut off by the outage), not a fetch loop turning thousands of times a second.
      const errorsDuring = ((await service.receiver.metrics.queueWorkerErrors.get()).values[0]?.value ?? 0) - errorsBefore;
      expect(errorsDuring).toBeLessThan(50);
      await redis.start();
      expect(await eventually(async () => (await deliver(bodies[10]!)) !== 503, 30_000)).toBe(true);
      // The sender retries every delivery that got no 2xx, and sends the rest.
      for (const body of bodies) {
        if ((statuses.get(body) ?? 0) >= 300 || !statuses.has(body)) {
          expect(await eventually(async () => [200, 202].includes(await deliver(body)), 30_000)).toBe(true);
        }
      }
      await handled.reach(30, 60_000);
      // Every job completed in Redis (none left active, waiting for its lock to expire and run again).
      expect(await eventually(async () => (await jobsCounted(service, "processed")) === 30, 30_000)).toBe(true);
      const view = await inspectQueue(prefix, redis.url);
      try {
        expect(await view.queue.getJobCounts("active", "wait", "delayed", "failed")).toEqual({ active: 0, wait: 0, delayed: 0, failed: 0 });
      } finally {
        await view.close();
      }
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

  it("shuts down promptly while Redis is away", { timeout: 60_000 }, async () => {
    const redis = redisServer(await freePort());
    await redis.start();
    const service = await startQueueService(newPrefix(), { REPLAY_STORE: redis.url, WORKER_CONCURRENCY: "2" });
    await redis.kill();
    const begun = performance.now();
    await service.shutdown();
    // Bounded by the workers' close grace, not by Redis coming back.
    expect(performance.now() - begun).toBeLessThan(10_000);
  });
});
