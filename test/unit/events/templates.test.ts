// The event templates of `trigger` against the typed event definitions and the fixtures: the same
// set of types, each template of its own type, and events built fresh from them.
import type { Webhooks } from "openai/resources/webhooks";
import { describe, expect, it } from "vitest";
import { OPENAI_EVENT_TYPES, type OpenAIWebhookEvent } from "../../../src/events/openai-events.js";
import { buildEvent, EVENT_TEMPLATES, isTemplateType, newEventId } from "../../../src/events/templates.js";
import { loadFixtures } from "../../support/fixtures.js";

/** `T` without `readonly` (openai-node's types are mutable, ours are not): only for the shape check. */
type DeepMutable<T> = T extends readonly (infer E)[] ? DeepMutable<E>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

describe("event templates", () => {
  it("cover exactly the known event types", () => {
    expect(Object.keys(EVENT_TEMPLATES).sort()).toEqual([...OPENAI_EVENT_TYPES].sort());
    expect(OPENAI_EVENT_TYPES.filter((type) => !isTemplateType(type))).toEqual([]);
    expect(isTemplateType("batch.canceled")).toBe(false);
    expect(isTemplateType("toString")).toBe(false);
  });

  it.each(OPENAI_EVENT_TYPES)("%s: the template is of its own type and builds a fresh event", (type) => {
    const template = EVENT_TEMPLATES[type];
    expect(template).toMatchObject({ object: "event", type });
    const event = buildEvent(type, 1_760_000_000);
    expect(event).toEqual({ id: expect.stringMatching(/^evt_[0-9a-f]{32}$/) as unknown, object: "event", created_at: 1_760_000_000, type, data: template.data });
    expect(Object.keys(event)).toEqual(["id", "object", "created_at", "type", "data"]);
    expect(buildEvent(type, 1_760_000_000).id).not.toBe(event.id);
  });

  it("builds a deep copy: changing an event leaves its template alone", () => {
    const event = buildEvent("realtime.call.incoming", 0, "evt_copy");
    (event.data.sip_headers[0] as { value: string }).value = "changed";
    expect(EVENT_TEMPLATES["realtime.call.incoming"].data.sip_headers[0]?.value).not.toBe("changed");
    expect(event.id).toBe("evt_copy");
  });

  it("builds events of the shapes openai-node's webhook types name, both ways (checked by the typecheck)", () => {
    const oursToTheirs = (event: DeepMutable<OpenAIWebhookEvent>): Webhooks.UnwrapWebhookEvent => event;
    const theirsToOurs = (event: Webhooks.UnwrapWebhookEvent): OpenAIWebhookEvent => event;
    const events = OPENAI_EVENT_TYPES.map((type) => theirsToOurs(oursToTheirs(structuredClone(buildEvent(type, 0)) as DeepMutable<OpenAIWebhookEvent>)));
    expect(events.map((event) => event.type)).toEqual([...OPENAI_EVENT_TYPES]);
  });

  it("makes ids in OpenAI's shape", () => {
    expect(new Set(Array.from({ length: 100 }, newEventId)).size).toBe(100);
  });
});

describe("fixtures", () => {
  const fixtures = loadFixtures();

  it.each(fixtures.map((fixture) => [fixture.file, fixture.type] as const))("%s is of a known type", (_file, type) => {
    expect(OPENAI_EVENT_TYPES as readonly string[]).toContain(type);
  });

  it("include at least one event of every known type", () => {
    const types = new Set(fixtures.map((fixture) => fixture.type));
    expect(OPENAI_EVENT_TYPES.filter((type) => !types.has(type))).toEqual([]);
  });
});
