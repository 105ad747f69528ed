// Graceful shutdown in queue mode: a running event may finish within HANDLER_TIMEOUT_MS; one cut off stays in the queue.
import { afterAll, describe, expect, it } from "vitest";
import { jobIdFor } from "../../src/queue/queued-event.js";
import { uniqueEvent } from "../support/fixtures.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { TEST_SECRET } from "../support/service.js";
import { cleanUpPrefixes, counted, inspectQueue, jobsCounted, newPrefix, startQueueService } from "./queue-test-support.js";

afterAll(cleanUpPrefixes);

function held(): { gate: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { gate, open: () => open() };
}

describe("queue mode shutdown", () => {
  it("lets a running event finish, then stops", async () => {
    const hold = held();
    const started = counted();
    const service = await startQueueService(newPrefix(), { HANDLER_TIMEOUT_MS: "5000" }, {
      register: (receiver) => receiver.on("*", async () => (started.add(), await hold.gate)),
    });
    const body = uniqueEvent();
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(202);
    await started.reach(1);
    const stopped = service.shutdown();
    hold.open();
    await stopped;
    expect(await jobsCounted(service, "processed")).toBe(1);
  });

  it("cuts off an event still running after HANDLER_TIMEOUT_MS, leaving its job in Redis (it runs again once its lock expires)", async () => {
    const prefix = newPrefix();
    const hold = held();
    const started = counted();
    const service = await startQueueService(prefix, { HANDLER_TIMEOUT_MS: "200" }, {
      register: (receiver) => receiver.on("*", async () => (started.add(), await hold.gate)),
    });
    const body = uniqueEvent();
    const id = (JSON.parse(body.toString("utf8")) as { id: string }).id;
    expect((await service.post(body, chatgptHeaders(body, TEST_SECRET))).status).toBe(202);
    await started.reach(1);
    await service.shutdown();
    expect(service.logs.some((line) => String(line.msg).startsWith("shutdown: queued events still running are cut off"))).toBe(true);
    const view = await inspectQueue(prefix);
    try {
      const job = await view.queue.getJob(jobIdFor(`chatgpt:${id}`));
      expect(await job?.getState()).toBe("active");
    } finally {
      hold.open();
      await view.close();
    }
  });
});
