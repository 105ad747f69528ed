// Handler failures, timeouts and the claim semantics of docs/ARCHITECTURE.md, "The path of one delivery", through real HTTP.
import { afterEach, describe, expect, it } from "vitest";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";

let service: TestService | undefined;
afterEach(async () => {
  await service?.shutdown();
  service = undefined;
});

const idOf = (body: Buffer): string => (JSON.parse(body.toString()) as { id: string }).id;

describe("handler outcomes", () => {
  it("answers 500 handler_failed when a handler throws, releases the claim, and processes the retry once", async () => {
    let calls = 0;
    let successes = 0;
    service = await startTestService({}, {
      register: (receiver) =>
        receiver.on("response.completed", () => {
          calls += 1;
          if (calls === 1) throw new Error("database down");
          successes += 1;
        }),
    });
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, TEST_SECRET);
    const failed = await service.post(body, headers);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: "handler_failed" });
    const retry = await service.post(body, headers);
    expect(await retry.json()).toEqual({ status: "processed", id: idOf(body) });
    expect(await (await service.post(body, headers)).json()).toMatchObject({ status: "duplicate" });
    expect({ calls, successes }).toEqual({ calls: 2, successes: 1 });
    // The failure is logged with its error and the event, at warn or above (whatever the wording).
    const failure = service.logs.find((line) => line.event_id === idOf(body) && line.err !== undefined);
    expect(failure).toBeDefined();
    expect(failure!.level).toBeGreaterThanOrEqual(40);
  });

  it("runs every matching handler (exact type and *) and fails if any of them rejects, even with a non-Error", async () => {
    const ran: string[] = [];
    service = await startTestService({}, {
      register: (receiver) => {
        receiver.on("batch.completed", () => void ran.push("exact"));
        receiver.on("*", () => {
          ran.push("star");
          return Promise.reject("a plain string"); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors
        });
      },
    });
    const body = uniqueEvent("batch.completed");
    const response = await service.post(body, chatgptHeaders(body, TEST_SECRET));
    expect(response.status).toBe(500);
    expect(ran.sort()).toEqual(["exact", "star"]);
  });

  it("answers 200 ignored when no handler wants the event", async () => {
    service = await startTestService({}, { register: (receiver) => receiver.on("batch.completed", () => undefined) });
    const body = uniqueEvent("eval.run.failed");
    expect(await (await service.post(body, chatgptHeaders(body, TEST_SECRET))).json()).toEqual({ status: "ignored", id: idOf(body) });
  });

  it("answers 503 handler_timeout, aborts the signal, keeps the claim until the handler settles, then dedupes", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let aborted = false;
    let calls = 0;
    service = await startTestService({ HANDLER_TIMEOUT_MS: "100" }, {
      register: (receiver) =>
        receiver.on("response.completed", async (_event, context) => {
          calls += 1;
          context.signal.addEventListener("abort", () => (aborted = true));
          await gate;
        }),
    });
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, TEST_SECRET);
    const timedOut = await service.post(body, headers);
    expect(timedOut.status).toBe(503);
    expect(timedOut.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await timedOut.json()).toMatchObject({ error: "handler_timeout" });
    expect(aborted).toBe(true);

    const whileRunning = await service.post(body, headers);
    expect(whileRunning.status).toBe(409);
    expect(whileRunning.headers.get("retry-after")).toMatch(/^[1-9]\d*$/); // README: 409 comes with Retry-After
    expect(await whileRunning.json()).toMatchObject({ error: "delivery_in_progress" });

    release();
    await service.receiver.drained();
    expect(await (await service.post(body, headers)).json()).toMatchObject({ status: "duplicate" });
    expect(calls).toBe(1);
  });

  it("releases the claim when a timed-out handler finally fails, so the retry runs", async () => {
    let fail!: (error: Error) => void;
    const gate = new Promise<void>((_resolve, reject) => (fail = reject));
    let calls = 0;
    service = await startTestService({ HANDLER_TIMEOUT_MS: "50" }, {
      register: (receiver) =>
        receiver.on("response.completed", async () => {
          calls += 1;
          if (calls === 1) await gate;
        }),
    });
    const body = uniqueEvent();
    const headers = chatgptHeaders(body, TEST_SECRET);
    expect((await service.post(body, headers)).status).toBe(503);
    fail(new Error("gave up"));
    await service.receiver.drained();
    expect(await (await service.post(body, headers)).json()).toMatchObject({ status: "processed" });
    expect(calls).toBe(2);
  });
});
