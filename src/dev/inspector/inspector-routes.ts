// The inspector's HTTP routes under /_inspector/: the page, the deliveries (list, one, live stream), the actions.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { buildEvent, EVENT_TEMPLATES, isTemplateType } from "../../events/templates.js";
import { ActionError, replay, replayAsNew, sendEvent, type ActionResult, type ActionTarget } from "./inspector-actions.js";
import { PAGE_POLICY } from "./inspector-assets.js";
import { inspectorRefusal } from "./inspector-guard.js";
import { summarize } from "./inspected-delivery.js";
import type { DeliveryStore } from "./delivery-store.js";
import { openEventStream } from "./sse-stream.js";

/** Where the inspector is served. */
export const INSPECTOR_PATH = "/_inspector";
/** The fixtures offered by "send": the package's `fixtures/` folder (beside `src/` and `dist/`). */
const FIXTURES_DIR = fileURLToPath(new URL("../../../fixtures/", import.meta.url));
const MAX_SENT_EVENT = "1mb";

/** What the routes need. */
export interface InspectorRoutesOptions {
  readonly store: DeliveryStore;
  readonly devToken: string;
  readonly target: ActionTarget;
  readonly assets: ReadonlyMap<string, { readonly type: string; readonly body: Buffer }>;
}

function fail(res: Response, status: number, error: string, message: string): void {
  res.status(status).set("cache-control", "no-store").json({ error, message });
}

const MESSAGES = {
  dev_token_required: "send the dev token printed by dev in the x-dev-token header (open the inspector URL dev printed)",
  cross_origin_request: "requests from other sites are refused",
} as const;

/** Reads the fixtures' names and events (files that are not JSON events are skipped). */
async function listFixtures(): Promise<Array<{ name: string; event: unknown }>> {
  const names = (await readdir(FIXTURES_DIR).catch(() => [] as string[])).filter((name) => name.endsWith(".json")).sort();
  const fixtures: Array<{ name: string; event: unknown }> = [];
  for (const name of names) {
    try {
      fixtures.push({ name: name.slice(0, -".json".length), event: JSON.parse(await readFile(`${FIXTURES_DIR}${name}`, "utf8")) });
    } catch {
      // not a JSON file: not offered
    }
  }
  return fixtures;
}

/** Builds the router (mount it on the app: it answers under {@link INSPECTOR_PATH} only). */
export function createInspectorRoutes(options: InspectorRoutesOptions): Router {
  const { store, target, assets } = options;
  const router = express.Router();
  const page = express.Router();
  const api = express.Router();

  for (const [name, asset] of assets) {
    page.get(name === "index.html" ? "/" : `/${name}`, (_req, res) => {
      res.set({ "content-type": asset.type, "cache-control": "no-store", "content-security-policy": PAGE_POLICY }).send(asset.body);
    });
  }

  api.use((req: Request, res: Response, next: NextFunction) => {
    const refusal = inspectorRefusal(req.headers, options.devToken);
    if (refusal === undefined) return next();
    fail(res, refusal.status, refusal.error, MESSAGES[refusal.error]);
  });
  api.get("/deliveries", (_req, res) => void res.set("cache-control", "no-store").json({ deliveries: store.list().map(summarize) }));
  api.get("/deliveries/:seq", (req, res) => {
    const delivery = store.get(Number(req.params.seq));
    if (delivery === undefined) return fail(res, 404, "not_found", "no such delivery (cleared, or older than the kept ones)");
    res.set("cache-control", "no-store").json(delivery);
  });
  api.delete("/deliveries", (_req, res) => {
    store.clear();
    res.status(204).end();
  });
  api.get("/stream", (req, res) => {
    const unsubscribe = store.subscribe((change) =>
      change.kind === "clear" ? stream.send("clear", {}) : stream.send("delivery", summarize(change.delivery)),
    );
    const stream = openEventStream(res, unsubscribe);
    req.on("close", () => stream.close());
  });
  api.get("/fixtures", (_req, res, next) => {
    // Templates (the ones of `trigger`) are listed by type; each send builds a fresh event.
    const templates = Object.keys(EVENT_TEMPLATES).sort();
    listFixtures().then((fixtures) => res.set("cache-control", "no-store").json({ fixtures, templates }), next);
  });

  const act = (res: Response, next: NextFunction, run: () => Promise<ActionResult>): void => {
    run().then(
      (result) => res.set("cache-control", "no-store").json(result),
      (error: unknown) => (error instanceof ActionError ? fail(res, 400, error.code, error.message) : next(error)),
    );
  };
  const kept = (req: Request, res: Response) => {
    const delivery = store.get(Number(req.params.seq));
    if (delivery === undefined) fail(res, 404, "not_found", "no such delivery (cleared, or older than the kept ones)");
    return delivery;
  };
  api.post("/deliveries/:seq/replay", (req, res, next) => {
    const delivery = kept(req, res);
    if (delivery !== undefined) act(res, next, () => replay(target, delivery));
  });
  api.post("/deliveries/:seq/replay-as-new", (req, res, next) => {
    const delivery = kept(req, res);
    if (delivery !== undefined) act(res, next, () => replayAsNew(target, delivery));
  });
  api.post("/send", express.raw({ type: () => true, limit: MAX_SENT_EVENT }), (req, res, next) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    act(res, next, () => sendEvent(target, body));
  });
  api.post("/trigger/:type", (req, res, next) => {
    const type = String(req.params.type);
    if (!isTemplateType(type)) return fail(res, 404, "not_found", "no template for that event type (see trigger --list)");
    act(res, next, () => sendEvent(target, JSON.stringify(buildEvent(type, Math.floor(Date.now() / 1000)))));
  });
  api.use((_req, res) => fail(res, 404, "not_found", "no such inspector endpoint"));

  page.use("/api", api);
  // Without the slash, the page's relative URLs would miss the folder (the fragment survives a redirect).
  router.get(INSPECTOR_PATH, (req, res, next) => (req.path === INSPECTOR_PATH ? res.redirect(301, `${INSPECTOR_PATH}/`) : next()));
  router.use(INSPECTOR_PATH, page);
  return router;
}
