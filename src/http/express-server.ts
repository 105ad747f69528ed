// The HTTP server of an Express app whose requests and responses are born with the app's prototypes.
import { createServer, IncomingMessage, ServerResponse, type Server, type ServerOptions } from "node:http";
import type { Express } from "express";

/**
 * `http.createServer(options, app)`, except that every request and response is constructed with
 * `app.request` / `app.response` as its prototype. Express switches each one to those prototypes
 * when it enters the app (`Object.setPrototypeOf`), and V8 handles objects whose prototype
 * changed after they were built far more slowly: a quarter of all allocations outlived the young
 * generation, and each request cost about twice the CPU (docs/BENCHMARKS.md). With the prototype
 * already in place Express's switch does nothing. A sub-app mounted with `app.use` still switches
 * the requests it serves, as before. Classes given in `options` (`IncomingMessage`,
 * `ServerResponse`) are constructed the same way; Express replaces their prototypes either way.
 */
export function createExpressServer(app: Express, options: ServerOptions = {}): Server {
  return createServer(
    {
      ...options,
      IncomingMessage: withPrototype(options.IncomingMessage ?? IncomingMessage, app.request),
      ServerResponse: withPrototype(options.ServerResponse ?? ServerResponse, app.response),
    },
    app,
  );
}

/**
 * A constructor that builds what `base` builds, with `prototype` as the new object's prototype.
 * Node's request and response constructors are plain functions, run here on the new object
 * (`Reflect.construct` with another `new.target` measured several times slower per request).
 * Should Node ever make them classes, which cannot be called so, the server
 * gets Node's own classes and Express switches prototypes as before.
 */
export function withPrototype<T extends typeof IncomingMessage | typeof ServerResponse>(base: T, prototype: object): T {
  if (Function.prototype.toString.call(base).startsWith("class")) return base;
  const construct = base as unknown as (this: object, first: unknown, second: unknown) => void;
  function Constructed(this: object, first: unknown, second: unknown): void {
    construct.call(this, first, second);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as T;
}
