// The 202 does not wait for handlers: 200 deliveries while every handler is held, each answer timed from request to answer.
import { afterAll, describe, expect, it } from "vitest";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET, type TestService } from "../support/service.js";
import { cleanUpPrefixes, counted, newPrefix, startQueueService } from "./queue-test-support.js";

let service: TestService | undefined;
afterAll(async () => {
  await service?.shutdown();
  await cleanUpPrefixes();
});

const DELIVERIES = 200;
const IN_FLIGHT = 10;
/** The handler's duration in the wording: an answer that waited for one would take this long at least. */
const HANDLER_MS = 5_000;

describe("acknowledgement in queue mode", { timeout: 120_000 }, () => {
  it("answers 200 deliveries 202 while every handler is still blocked; p99 time to 202 is below the handler's 5 s", async () => {
    const started = counted();
    const finished = counted();
    let release: () => void = () => undefined;
    // The handlers stay blocked until every answer is in: held longer than any answer, with no timer.
    const blocked = new Promise<void>((resolve) => (release = resolve));
    service = await startQueueService(newPrefix(), { HANDLER_TIMEOUT_MS: "60000", WORKER_CONCURRENCY: "8" }, {
      register: (receiver) =>
        receiver.on("*", async () => {
          started.add();
          await blocked;
          finished.add();
        }),
    });
    const running = service;
    const bodies = Array.from({ length: DELIVERIES }, () => uniqueEvent());
    const answers: Array<{ status: number; ms: number; finishedBefore: number }> = [];
    let next = 0;
    const sender = async (): Promise<void> => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const headers = chatgptHeaders(body, TEST_SECRET);
        const sent = performance.now();
        const response = await running.post(body, headers);
        await response.arrayBuffer();
        answers.push({ status: response.status, ms: performance.now() - sent, finishedBefore: finished.value });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));

    expect(answers.map((answer) => answer.status)).toEqual(Array(DELIVERIES).fill(202));
    // Every answer came while no handler had finished, and workers were running handlers meanwhile.
    expect(answers.every((answer) => answer.finishedBefore === 0)).toBe(true);
    await started.reach(8);
    expect(finished.value).toBe(0);
    const times = answers.map((answer) => answer.ms).sort((x, y) => x - y);
    const p99 = times[Math.ceil(times.length * 0.99) - 1] ?? Number.POSITIVE_INFINITY;
    expect(p99).toBeLessThan(HANDLER_MS);

    release();
    await finished.reach(DELIVERIES, 60_000);
  });
});
