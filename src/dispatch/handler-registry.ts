// Which handlers want which event type: the exact type's handlers first, then the "*" ones.
import type { AnyHandler, WebhookHandler } from "./handler.js";
import type { OpenAIEventType } from "../events/openai-events.js";

/** Registers and looks up handlers. */
export interface HandlerRegistry {
  /** Adds a handler for one event type, or `"*"` for every event. */
  on<T extends OpenAIEventType | "*" | (string & {})>(type: T, handler: WebhookHandler<T>): void;
  /** The handlers that receive `type`, in registration order (exact type, then `"*"`). */
  handlersFor(type: string): readonly AnyHandler[];
}

const NONE: readonly AnyHandler[] = Object.freeze([]);

/** Creates an empty registry. Lookups are cached per type until the next `on`. */
export function createHandlerRegistry(): HandlerRegistry {
  const byType = new Map<string, AnyHandler[]>();
  let resolved = new Map<string, readonly AnyHandler[]>();

  return {
    on(type, handler) {
      if (typeof type !== "string" || type.length === 0) throw new TypeError("event type must be a non-empty string");
      if (typeof handler !== "function") throw new TypeError(`handler for "${type}" must be a function`);
      const list = byType.get(type) ?? [];
      list.push(handler);
      byType.set(type, list);
      resolved = new Map();
    },
    handlersFor(type) {
      let handlers = resolved.get(type);
      if (handlers === undefined) {
        const exact = type === "*" ? [] : (byType.get(type) ?? []);
        const all = [...exact, ...(byType.get("*") ?? [])];
        handlers = all.length === 0 ? NONE : all;
        if (resolved.size < 1000) resolved.set(type, handlers);
      }
      return handlers;
    },
  };
}
