// Queue mode end to end on the real Redis and real HTTP: 202 then duplicate, retries, dead letters, two instances, no waiting on handlers.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { HandlerContext } from "../../src/index.js";
import { jobIdFor } from "../../src/queue/queued-event.js";
import { eventually } from "../replay/redis-test-support.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET, type TestService } from "../support/service.js";
import { cleanUpPrefixes, counted, inspectQueue, jobsCounted, newPrefix, startQueueService } from "./queue-test-support.js";

let services: TestService[] = [];
afterEach(async () => {
  await Promise.all(services.map((service) => service.shutdown()));
  services = [];
});
afterAll(cleanUpPrefixes);

const idOf = (body: Buffer): string => (JSON.parse(body.toString("utf8")) as { id: string }).id;
const send = (service: TestService, body: Buffer): Promise<Response> => service.post(body, chatgptHeaders(body, TEST_SECRET));

describe("queue mode", () => {
  it("answers 202 queued, runs the handler once with attempt 1 and queuedAt, then answers duplicate; the handled job leaves Redis", async () => {
    const prefix = newPrefix();
    const runs = counted();
    const contexts: HandlerContext[] = [];
    const service = await startQueueService(prefix, {}, {
      register: (receiver) =>
        receiver.on("*", (_event, context) => {
          contexts.push(context);
          runs.add();
        }),
    });
    services.push(service);
    const body = uniqueEvent();
    const before = Date.now();
    const first = await send(service, body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: "queued", id: idOf(body) });
    await runs.reach(1);
    expect(contexts[0]).toMatchObject({ id: idOf(body), type: "response.completed", attempt: 1 });
    expect(contexts[0]?.queuedAt).toBeGreaterThanOrEqual(before);
    const again = await send(service, body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate", id: idOf(body) });
    const view = await inspectQueue(prefix);
    try {
      expect(await eventually(async () => (await view.queue.getJob(jobIdFor(`chatgpt:${idOf(body)}`))) === undefined, 5_000)).toBe(true);
    } finally {
      await view.close();
    }
    expect(runs.value).toBe(1);
  });

  it("retries a handler that fails twice: three attempts, then processed", async () => {
    const prefix = newPrefix();
    const attempts: number[] = [];
    const runs = counted();
    const service = await startQueueService(prefix, { JOB_ATTEMPTS: "5" }, {
      register: (receiver) =>
        receiver.on("*", (_event, context) => {
          attempts.push(context.attempt);
          runs.add();
          if (context.attempt < 3) throw new Error(`transient failure ${context.attempt}`);
        }),
    });
    services.push(service);
    expect((await send(service, uniqueEvent())).status).toBe(202);
    await runs.reach(3);
    expect(await eventually(async () => (await jobsCounted(service, "processed")) === 1, 5_000)).toBe(true);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await jobsCounted(service, "retried")).toBe(2);
    expect(await jobsCounted(service, "dead_lettered")).toBe(0);
  });

  it("dead letters an always-failing event after JOB_ATTEMPTS, keeping its exact body and every attempt's error", async () => {
    const prefix = newPrefix();
    const runs = counted();
    const service = await startQueueService(prefix, { JOB_ATTEMPTS: "3" }, {
      register: (receiver) =>
        receiver.on("*", (_event, context) => {
          runs.add();
          throw new Error(`always fails (attempt ${context.attempt})`);
        }),
    });
    services.push(service);
    const body = uniqueEvent("response.failed", { note: "spacing  kept" });
    expect((await send(service, body)).status).toBe(202);
    await runs.reach(3);
    expect(await eventually(async () => (await jobsCounted(service, "dead_lettered")) === 1, 5_000)).toBe(true);
    const view = await inspectQueue(prefix);
    try {
      const [job] = await view.queue.getFailed();
      expect(job?.data).toMatchObject({ id: idOf(body), type: "response.failed", body: body.toString("utf8") });
      expect(job?.attemptsMade).toBe(3);
      expect(job?.stacktrace).toHaveLength(3);
      expect(job?.failedReason).toContain("handler");
    } finally {
      await view.close();
    }
    expect(runs.value).toBe(3);
    const deadLine = service.logs.find((line) => line.msg === "queued event dead lettered after its last attempt");
    expect(deadLine).toMatchObject({ level: 50, event_id: idOf(body), attempt: 3 });
    // A later delivery of the same event is a duplicate: it is not queued again.
    expect(await (await send(service, body)).json()).toMatchObject({ status: "duplicate" });
  });

  it("two receiver instances given the same event 50 times at once queue it once and run it once", async () => {
    const prefix = newPrefix();
    const runs = counted();
    const register = { register: (receiver: { on: TestService["receiver"]["on"] }) => void receiver.on("*", () => runs.add()) };
    const [a, b] = await Promise.all([startQueueService(prefix, {}, register), startQueueService(prefix, {}, register)]);
    services.push(a, b);
    const body = uniqueEvent();
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => send(i % 2 === 0 ? a : b, body).then(async (r) => (await r.arrayBuffer(), r.status))));
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.every((status) => status === 202 || status === 200 || status === 409)).toBe(true);
    await runs.reach(1);
    const view = await inspectQueue(prefix);
    try {
      // Once the queue is empty no second run can come.
      expect(await eventually(async () => Object.values(await view.queue.getJobCounts()).every((n) => n === 0), 5_000)).toBe(true);
    } finally {
      await view.close();
    }
    expect(runs.value).toBe(1);
  });

  it("answers 202 without waiting for a slow handler", async () => {
    const prefix = newPrefix();
    const started = counted();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const finished = counted();
    const service = await startQueueService(prefix, { HANDLER_TIMEOUT_MS: "30000", WORKER_CONCURRENCY: "4" }, {
      register: (receiver) =>
        receiver.on("*", async () => {
          started.add();
          await gate;
          finished.add();
        }),
    });
    services.push(service);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(service, uniqueEvent())).status);
    expect(statuses).toEqual(Array(8).fill(202));
    await started.reach(4);
    expect(finished.value).toBe(0); // every 202 above came while the handlers were still held
    open();
    await finished.reach(8);
  });
});
