// The queue gauges in /metrics over real HTTP and Redis: counts after enqueueing with no workers, read at most every 5 s of the receiver's clock.
import { afterAll, describe, expect, it } from "vitest";
import { uniqueEvent } from "../support/fixtures.js";
import { fakeClock } from "../support/fake-clock.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET, type TestService } from "../support/service.js";
import { cleanUpPrefixes, newPrefix, startQueueService } from "./queue-test-support.js";

let service: TestService | undefined;
afterAll(async () => {
  await service?.shutdown();
  await cleanUpPrefixes();
});

/** The `webhook_queue_jobs` values of a /metrics page, by state. */
async function queueGauges(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const values: Record<string, number> = {};
  for (const [, state = "", value] of text.matchAll(/^webhook_queue_jobs\{state="(\w+)"\} (\d+)$/gm)) values[state] = Number(value);
  return values;
}

describe("queue gauges", () => {
  it("report waiting, active, delayed and dead-lettered jobs, read again only once 5 s passed on the receiver's clock", async () => {
    const clock = fakeClock(Date.now());
    service = await startQueueService(newPrefix(), { WORKER_CONCURRENCY: "0" }, { clock });
    const running = service;
    const send = async (): Promise<void> => {
      const body = uniqueEvent();
      expect((await running.post(body, chatgptHeaders(body, TEST_SECRET, Math.floor(clock.now() / 1000)))).status).toBe(202);
    };
    for (let i = 0; i < 3; i++) await send();
    expect(await queueGauges(running.url)).toEqual({ waiting: 3, active: 0, delayed: 0, dead_lettered: 0 });

    await send();
    clock.advance(4_999);
    expect((await queueGauges(running.url)).waiting).toBe(3); // not read again yet
    clock.advance(1);
    expect((await queueGauges(running.url)).waiting).toBe(4);
  });
});
