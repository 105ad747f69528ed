// The HTTP server of an Express app whose requests and responses are born with the app's prototypes.
import { createServer, IncomingMessage, ServerResponse, type Server, type ServerOptions } from "node:http";
import type { Express } from "express";

/**
 * `http.createServer(options, app)`, except that every request and response is constructed with
 * `app.request` / `app.response` as its prototype. Express switches each one to those prototypes
 * when it enters the app (`Object.setPrototypeOf`), and V8 handles objects whose prototype
 * changed after they were built more slowly: more garbage collection, slower property access
 * (docs/BENCHMARKS.md, "How it was found"). With the prototype already in place Express's switch
 * does nothing. A sub-app mounted with `app.use` still switches the requests it serves, as
 * before. Request or response classes of your own in `options` are used as they are (Express
 * then switches their objects, as it does with `http.createServer`).
 */
export function createExpressServer(app: Express, options: ServerOptions = {}): Server {
  return createServer(
    {
      ...options,
      IncomingMessage: options.IncomingMessage ?? withPrototype(IncomingMessage, app.request),
      ServerResponse: options.ServerResponse ?? withPrototype(ServerResponse, app.response),
    },
    app,
  );
}

/**
 * A constructor that builds what Node's `base` builds, with `prototype` as the new object's
 * prototype. Node's request and response constructors are plain functions, run here on the new
 * object with every argument Node passes (`Reflect.construct` with another `new.target` measured
 * slower: docs/BENCHMARKS.md). Should Node ever make them ES classes, which cannot be called so,
 * `base` itself is returned and Express switches prototypes as before.
 */
export function withPrototype<T extends typeof IncomingMessage | typeof ServerResponse>(base: T, prototype: object): T {
  if (Function.prototype.toString.call(base).startsWith("class")) return base;
  const construct = base as unknown as (this: object, ...args: unknown[]) => void;
  function Constructed(this: object): void {
    // eslint-disable-next-line prefer-rest-params -- `arguments` is passed on without building an array per request
    construct.apply(this, arguments as unknown as unknown[]);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as T;
}
