// createExpressServer through real HTTP on 127.0.0.1: requests born with the app's prototypes, Express unchanged.
import { once } from "node:events";
import { IncomingMessage, ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { withPrototype } from "../../src/http/express-server.js";
import { createExpressServer } from "../../src/index.js";
import { chatgptHeaders } from "../support/independent-signers.js";
import { uniqueEvent } from "../support/fixtures.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";

const servers: Server[] = [];
let service: TestService | undefined;
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await service?.shutdown();
  service = undefined;
});

async function serve(app: Express, options = {}): Promise<{ server: Server; base: string }> {
  const server = createExpressServer(app, options);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Which prototypes each request and response had when the server emitted it, before the app ran. */
function recordBirthPrototypes(server: Server): Array<{ request: object | null; response: object | null }> {
  const seen: Array<{ request: object | null; response: object | null }> = [];
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ request: Object.getPrototypeOf(req) as object | null, response: Object.getPrototypeOf(res) as object | null });
  });
  return seen;
}

describe("createExpressServer", () => {
  it("builds every request and response with the app's prototypes, so Express has nothing to switch", async () => {
    const app = express();
    app.get("/ping", (_req, res) => {
      res.json({ ok: true });
    });
    const { server, base } = await serve(app);
    const born = recordBirthPrototypes(server);

    const answers = await Promise.all([fetch(`${base}/ping`), fetch(`${base}/ping`)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(born).toHaveLength(2);
    // Compared as booleans: printing an Express prototype runs its getters.
    expect(born.map(({ request, response }) => request === app.request && response === app.response)).toEqual([true, true]);
  });

  it("keeps Express's request and response API, trust proxy, server options and Node's classes", async () => {
    const app = express();
    app.set("trust proxy", "loopback");
    app.get("/who/:name", (req, res) => {
      res.status(201).json({
        ip: req.ip,
        path: req.path,
        query: req.query,
        name: req.params.name,
        isIncoming: req instanceof IncomingMessage,
        isResponse: res instanceof ServerResponse,
        // The server's highWaterMark reaches both (the response's through its socket: the next test checks the constructor's arguments).
        highWaterMarks: [req.readableHighWaterMark, res.writableHighWaterMark],
      });
    });
    const { server, base } = await serve(app, { requestTimeout: 12_345, highWaterMark: 12_345 });
    expect(server.requestTimeout).toBe(12_345);

    const answer = await fetch(`${base}/who/ada?x=1`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(answer.status).toBe(201);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await answer.json()).toEqual({
      ip: "203.0.113.7",
      path: "/who/ada",
      query: { x: "1" },
      name: "ada",
      isIncoming: true,
      isResponse: true,
      highWaterMarks: [12_345, 12_345],
    });
  });

  it("passes Node's every constructor argument on: a response option set on the server applies", async () => {
    const refused: string[] = [];
    const app = express();
    app.get("/empty", (_req, res) => {
      res.status(204);
      try {
        res.write("a body a 204 may not have");
        refused.push("none");
      } catch (error) {
        refused.push((error as { code?: string }).code ?? "unknown");
      }
      res.end();
    });
    // Node hands rejectNonStandardBodyWrites to the response constructor as its second argument.
    const { base } = await serve(app, { rejectNonStandardBodyWrites: true });

    expect((await fetch(`${base}/empty`)).status).toBe(204);
    expect(refused).toEqual(["ERR_HTTP_BODY_NOT_ALLOWED"]);
  });

  it("still gives a mounted sub-app its own prototypes, and the parent's back after it", async () => {
    const app = express();
    const sub = express();
    sub.get("/inside", (req, res) => {
      res.json({ sub: Object.getPrototypeOf(req) === sub.request && Object.getPrototypeOf(res) === sub.response });
    });
    app.use("/sub", sub);
    app.use((req, res) => {
      res.status(404).json({ parent: Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response });
    });
    const { base } = await serve(app);

    expect(await (await fetch(`${base}/sub/inside`)).json()).toEqual({ sub: true });
    const missed = await fetch(`${base}/sub/nowhere`);
    expect(missed.status).toBe(404);
    expect(await missed.json()).toEqual({ parent: true });
  });

  it("uses request and response classes given in the options as they are, ES classes and old-style functions alike", async () => {
    class TaggedRequest extends IncomingMessage {
      tag(): string {
        return "request";
      }
    }
    // An old-style subclass, as util.inherits makes them: it could be called on another object, and must not be.
    function TaggedResponse(this: ServerResponse, req: IncomingMessage): void {
      ServerResponse.call(this, req);
    }
    Object.setPrototypeOf(TaggedResponse.prototype, ServerResponse.prototype);
    (TaggedResponse.prototype as { tag?: () => string }).tag = () => "response";
    const app = express();
    app.get("/ping", (req, res) => {
      res.json({ express: Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response });
    });
    const { server, base } = await serve(app, { IncomingMessage: TaggedRequest, ServerResponse: TaggedResponse as unknown as typeof ServerResponse });
    const outsideTheApp: string[] = [];
    server.prependListener("request", (req: { tag?: () => string }, res: { tag?: () => string }) => {
      outsideTheApp.push(`${req.tag?.()} ${res.tag?.()}`);
    });

    expect(await (await fetch(`${base}/ping`)).json()).toEqual({ express: true });
    expect(outsideTheApp).toEqual(["request response"]);
  });

  it("falls back to the class itself when a constructor is a class (it cannot be called on another object)", () => {
    class Modern {}
    const plain = function Plain(this: { made?: boolean }): void {
      this.made = true;
    };
    const prototype = { marker: 1 };

    expect(withPrototype(Modern as never, prototype) === (Modern as unknown)).toBe(true);
    const Built = withPrototype(plain as never, prototype) as unknown as new () => { made?: boolean };
    const made = new Built();
    expect(Object.getPrototypeOf(made)).toBe(prototype);
    expect(made.made).toBe(true);
  });
});

describe("the service's listener", () => {
  /** Whether each recorded request and response was built on an Express app's prototypes (one over Express's shared ones). */
  function bornOnAnApp(born: ReturnType<typeof recordBirthPrototypes>): boolean[] {
    const expressRequest = Object.getPrototypeOf(express().request) as object;
    const expressResponse = Object.getPrototypeOf(express().response) as object;
    return born.map(
      ({ request, response }) =>
        request !== null && Object.getPrototypeOf(request) === expressRequest && response !== null && Object.getPrototypeOf(response) === expressResponse,
    );
  }

  it("is such a server: deliveries arrive with the app's prototype already set, and are processed", async () => {
    service = await startTestService({}, { register: (receiver) => receiver.on("*", () => {}) });
    const born = recordBirthPrototypes(service.server);
    const body = uniqueEvent();

    const answer = await service.post(body, chatgptHeaders(body, TEST_SECRET));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ status: "processed" });
    // The service's app is not reachable from here; its prototypes are one over Express's shared ones.
    expect(bornOnAnApp(born)).toEqual([true]);
  });

  it("and so is the ops listener (OPS_PORT)", async () => {
    service = await startTestService({ OPS_PORT: "0" });
    if (service.opsServer === undefined || service.opsUrl === undefined) throw new Error("no ops listener");
    const born = recordBirthPrototypes(service.opsServer);

    expect((await fetch(`${service.opsUrl}/healthz`)).status).toBe(200);
    expect(bornOnAnApp(born)).toEqual([true]);
  });
});
