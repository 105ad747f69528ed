// The handler registry: exact type first, then "*", in registration order, with a cache per type.
import { describe, expect, it } from "vitest";
import type { WebhookHandler } from "../../../src/dispatch/handler.js";
import { createHandlerRegistry } from "../../../src/dispatch/handler-registry.js";

const named = (): WebhookHandler => () => undefined;

describe("createHandlerRegistry", () => {
  it("returns nothing for an unknown type", () => {
    const registry = createHandlerRegistry();
    expect(registry.handlersFor("response.completed")).toEqual([]);
    registry.on("batch.completed", named());
    expect(registry.handlersFor("response.completed")).toEqual([]);
  });

  it("returns exact-type handlers first, then '*' handlers, each in registration order", () => {
    const registry = createHandlerRegistry();
    const [star1, exact1, star2, exact2, other] = [named(), named(), named(), named(), named()];
    registry.on("*", star1);
    registry.on("response.completed", exact1);
    registry.on("*", star2);
    registry.on("response.completed", exact2);
    registry.on("response.failed", other);
    expect(registry.handlersFor("response.completed")).toEqual([exact1, exact2, star1, star2]);
    expect(registry.handlersFor("response.failed")).toEqual([other, star1, star2]);
    expect(registry.handlersFor("never.registered")).toEqual([star1, star2]);
  });

  it("gives '*' only the wildcard handlers, once each", () => {
    const registry = createHandlerRegistry();
    const star = named();
    registry.on("*", star);
    registry.on("a.b", named());
    expect(registry.handlersFor("*")).toEqual([star]);
  });

  it("matches types exactly (case and prefix matter)", () => {
    const registry = createHandlerRegistry();
    registry.on("response.completed", named());
    expect(registry.handlersFor("Response.Completed")).toEqual([]);
    expect(registry.handlersFor("response")).toEqual([]);
    expect(registry.handlersFor("response.completed.extra")).toEqual([]);
  });

  it("keeps a handler registered twice twice", () => {
    const registry = createHandlerRegistry();
    const handler = named();
    registry.on("x", handler);
    registry.on("x", handler);
    expect(registry.handlersFor("x")).toEqual([handler, handler]);
  });

  it("invalidates cached lookups on a later `on` (exact or '*')", () => {
    const registry = createHandlerRegistry();
    const first = named();
    registry.on("x", first);
    expect(registry.handlersFor("x")).toEqual([first]);
    expect(registry.handlersFor("y")).toEqual([]);
    const second = named();
    registry.on("x", second);
    expect(registry.handlersFor("x")).toEqual([first, second]);
    const star = named();
    registry.on("*", star);
    expect(registry.handlersFor("x")).toEqual([first, second, star]);
    expect(registry.handlersFor("y")).toEqual([star]);
  });

  it("does not let a returned list be changed by later registrations", () => {
    const registry = createHandlerRegistry();
    const first = named();
    registry.on("x", first);
    const before = registry.handlersFor("x");
    registry.on("x", named());
    expect(before).toEqual([first]);
  });

  it("serves many distinct types correctly (past any cache bound)", () => {
    const registry = createHandlerRegistry();
    const star = named();
    registry.on("*", star);
    for (let index = 0; index < 1_500; index++) expect(registry.handlersFor(`type.${index}`)).toEqual([star]);
    const late = named();
    registry.on("type.1499", late);
    expect(registry.handlersFor("type.1499")).toEqual([late, star]);
  });

  it.each([
    ["an empty type", "", named()],
    ["a non-string type", 42, named()],
    ["an undefined type", undefined, named()],
  ])("throws TypeError for %s", (_label, type, handler) => {
    const registry = createHandlerRegistry();
    expect(() => registry.on(type as string, handler)).toThrow(TypeError);
    expect(registry.handlersFor("*")).toEqual([]);
  });

  it.each([
    ["undefined", undefined],
    ["a string", "not a function"],
    ["an object", { handle: () => undefined }],
  ])("throws TypeError for a handler that is %s, registering nothing", (_label, handler) => {
    const registry = createHandlerRegistry();
    expect(() => registry.on("x", handler as unknown as WebhookHandler)).toThrow(TypeError);
    expect(registry.handlersFor("x")).toEqual([]);
  });
});
