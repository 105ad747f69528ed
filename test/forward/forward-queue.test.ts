// Forwarding in queue mode on the real Redis: retryable answers retry the job with its backoff, a refused event is dead lettered at once.
import { afterAll, describe, expect, it } from "vitest";
import { cleanUpPrefixes, inspectQueue, jobsCounted, newPrefix, startQueueService } from "../queue/queue-test-support.js";
import { eventually } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET, type TestService } from "../support/service.js";
import { useForwardStack } from "./forward-env.js";

const stack = useForwardStack();
afterAll(() => cleanUpPrefixes());

const start = (prefix: string): Promise<TestService> =>
  stack.start((env) => startQueueService(prefix, { ...env, JOB_ATTEMPTS: "5", JOB_BACKOFF_MS: "20" }));

const idOf = (body: Buffer): string => (JSON.parse(body.toString("utf8")) as { id: string }).id;
const send = (service: TestService, body: Buffer): Promise<Response> => service.post(body, chatgptHeaders(body, TEST_SECRET));

describe("forwarding (queue)", () => {
  it("retries the job while the internal service answers 500, 500, then delivers once: one job, three attempts", async () => {
    const prefix = newPrefix();
    const service = await start(prefix);
    stack.internal.answerNext({ status: 500 }, { status: 500 });
    const body = uniqueEvent();
    expect((await send(service, body)).status).toBe(202);
    await stack.internal.requests.reach(3);
    expect(await eventually(async () => (await jobsCounted(service, "processed")) === 1, 5_000)).toBe(true);
    expect(await jobsCounted(service, "retried")).toBe(2);
    expect(await jobsCounted(service, "dead_lettered")).toBe(0);
    expect(stack.internal.received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(stack.internal.received.every((r) => r.body.equals(body))).toBe(true);
    expect(stack.internal.received.every((r) => r.headers["x-webhook-event-id"] === idOf(body))).toBe(true);
  });

  it("dead letters an event the internal service refuses (400) after one attempt, without retrying", async () => {
    const prefix = newPrefix();
    const service = await start(prefix);
    stack.internal.answerNext({ status: 400 });
    const body = uniqueEvent("batch.failed");
    expect((await send(service, body)).status).toBe(202);
    expect(await eventually(async () => (await jobsCounted(service, "dead_lettered")) === 1, 5_000)).toBe(true);
    const view = await inspectQueue(prefix);
    try {
      const [job] = await view.queue.getFailed();
      expect(job?.data).toMatchObject({ id: idOf(body), type: "batch.failed" });
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toContain("400");
    } finally {
      await view.close();
    }
    expect(await jobsCounted(service, "retried")).toBe(0);
    expect(stack.internal.received.map((r) => r.status)).toEqual([400]);
    const line = service.logs.find((entry) => entry.msg === "queued event dead lettered after its last attempt");
    expect(line).toBeDefined();
    const logs = service.rawLogs();
    for (const r of stack.internal.received) expect(logs).not.toContain(r.token);
  });

  it("waits at least the Retry-After of a 429 before the next attempt (longer than the job backoff)", async () => {
    const service = await start(newPrefix());
    stack.internal.answerNext({ status: 429, headers: { "retry-after": "1" } });
    const arrivals: number[] = [];
    const body = uniqueEvent();
    expect((await send(service, body)).status).toBe(202);
    await stack.internal.requests.reach(1);
    arrivals.push(performance.now());
    await stack.internal.requests.reach(2);
    arrivals.push(performance.now());
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(950);
    expect(stack.internal.received.map((r) => r.status)).toEqual([429, 200]);
  });
});
