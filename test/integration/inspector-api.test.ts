// The inspector's HTTP API on the real service, in process: actions in both schemes, the live
// stream, the token, the page's headers; and `serve` (no inspector) answering 404 there.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createInspector, type Inspector } from "../../src/dev/inspector/create-inspector.js";
import type { SchemeName } from "../../src/signature/scheme.js";
import { startTestService, type TestService } from "../support/service.js";

const STANDARD_SECRET = "whsec_aW5zcGVjdG9yLXRlc3Qta2V5LW1hdGVyaWFsLTAxMjM=";
const CHATGPT_SECRET = "inspector-api-secret-0123456789";
const TOKEN = "inspector-api-dev-token";
const dirs: string[] = [];
const running: TestService[] = [];

afterAll(async () => {
  await Promise.all(running.map((service) => service.shutdown()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function start(scheme: SchemeName): Promise<{ service: TestService; inspector: Inspector; api: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cwr-inspector-api-"));
  dirs.push(dir);
  const secret = scheme === "standard" ? STANDARD_SECRET : CHATGPT_SECRET;
  const late = { url: "" };
  const inspector = await createInspector({
    stateDir: dir,
    devToken: TOKEN,
    target: { webhookUrl: () => late.url, scheme, secret: () => secret },
    onSaveError: (error) => {
      throw error;
    },
  });
  const service = await startTestService(
    { WEBHOOK_SCHEME: scheme, WEBHOOK_SECRET: secret },
    { observer: inspector.observer, extraRoutes: inspector.routes, register: (receiver) => receiver.on("*", () => undefined) },
  );
  running.push(service);
  late.url = service.webhookUrl;
  return { service, inspector, api: `${service.url}/_inspector/api` };
}

const withToken = { "x-dev-token": TOKEN };
const post = (url: string, body?: string) => fetch(url, { method: "POST", headers: { ...withToken, "content-type": "application/json" }, body });
const event = (id: string) => JSON.stringify({ id, object: "event", created_at: 1, type: "batch.completed", data: { id: "batch_1" } });

describe.each(["chatgpt", "standard"] as const)("the inspector API (%s scheme)", (scheme) => {
  it("sends any event, replays it as a duplicate, and replays it as a new event", async () => {
    const { api, inspector } = await start(scheme);
    const sent = await post(`${api}/send`, event(`evt_api_${scheme}`));
    expect(await sent.json()).toMatchObject({ status: 200, answer: { status: "processed", id: `evt_api_${scheme}` } });
    const [first] = inspector.store.list();
    expect(first).toMatchObject({ seq: 1, outcome: "processed", verified: true });

    expect(await (await post(`${api}/deliveries/1/replay`)).json()).toMatchObject({ status: 200, answer: { status: "duplicate" } });
    const fresh = (await (await post(`${api}/deliveries/1/replay-as-new`)).json()) as { status: number; answer: { status: string; id: string } };
    expect(fresh).toMatchObject({ status: 200, answer: { status: "processed" } });
    expect(fresh.answer.id).not.toBe(`evt_api_${scheme}`);
    expect(inspector.store.list().map((delivery) => delivery.outcome)).toEqual(["processed", "duplicate", "processed"]);
  });

  it("lists the trigger templates and sends a fresh event of one on each request", async () => {
    const { api } = await start(scheme);
    const listed = (await (await fetch(`${api}/fixtures`, { headers: withToken })).json()) as { templates: string[] };
    expect(listed.templates).toContain("eval.run.canceled");
    const ids = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const sent = (await (await post(`${api}/trigger/fine_tuning.job.cancelled`)).json()) as { status: number; answer: { status: string; id: string } };
      expect(sent).toMatchObject({ status: 200, answer: { status: "processed" } });
      ids.add(sent.answer.id);
    }
    expect(ids.size).toBe(2);
    expect(await (await post(`${api}/trigger/no.such.type`)).json()).toMatchObject({ error: "not_found" });
  });
});

describe("the inspector API", () => {
  it("lists, shows and streams deliveries to holders of the token", async () => {
    const { api, service } = await start("chatgpt");
    const stream = await fetch(`${api}/stream`, { headers: withToken });
    expect(stream.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    await post(`${api}/send`, event("evt_api_stream"));
    let text = "";
    while (!text.includes("event: delivery\n")) text += (await reader.read()).value ?? "";
    const data = JSON.parse(/^data: (.*)$/m.exec(text.slice(text.indexOf("event: delivery")))![1]!) as Record<string, unknown>;
    expect(data).toMatchObject({ seq: 1, eventId: "evt_api_stream", outcome: "processed", handlers: "ok" });
    expect(data).not.toHaveProperty("body");
    await reader.cancel();

    const list = (await (await fetch(`${api}/deliveries`, { headers: withToken })).json()) as { deliveries: unknown[] };
    expect(list.deliveries).toHaveLength(1);
    const one = (await (await fetch(`${api}/deliveries/1`, { headers: withToken })).json()) as { headers: Record<string, string>; body: string };
    expect(one.body).toBe(event("evt_api_stream"));
    expect(one.headers["x-chatgpt-signature"]).toMatch(/^v1=[0-9a-f]{8}…$/);
    expect(JSON.stringify(one)).not.toContain(TOKEN);
    expect(service.rawLogs()).not.toContain(TOKEN);
  });

  it("refuses bad actions with a coded answer", async () => {
    const { api } = await start("chatgpt");
    expect(await (await post(`${api}/send`, "{not json")).json()).toMatchObject({ error: "invalid_event" });
    expect((await post(`${api}/send`, JSON.stringify({ id: "evt_1" }))).status).toBe(400);
    const missing = await post(`${api}/deliveries/99/replay`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
    expect((await fetch(`${api}/deliveries/99`, { headers: withToken })).status).toBe(404);
    expect((await fetch(`${api}/stream`)).status).toBe(401);
    expect((await fetch(`${api}/deliveries`, { method: "DELETE" })).status).toBe(401);
  });

  it("serves the page with its own content security policy, and redirects the bare path", async () => {
    const { service } = await start("chatgpt");
    const page = await fetch(`${service.url}/_inspector/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="inspector.js" defer></script>');
    const bare = await fetch(`${service.url}/_inspector`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/_inspector/");
  });
});

describe("serve", () => {
  it("has no inspector", async () => {
    const service = await startTestService();
    running.push(service);
    for (const path of ["/_inspector/", "/_inspector/api/deliveries", "/_inspector/inspector.js"]) {
      const answer = await fetch(`${service.url}${path}`, { headers: withToken });
      expect(answer.status).toBe(404);
    }
  });
});
