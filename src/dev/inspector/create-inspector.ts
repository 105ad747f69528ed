// The dev inspector, assembled: the store read back from the state folder, its writer, the log sink, the observer, the routes.
import type { Writable } from "node:stream";
import type { Router } from "express";
import pino, { type DestinationStream } from "pino";
import type { DeliveryObserver } from "../../pipeline/delivery-observer.js";
import { createDeliveryStore, type DeliveryStore } from "./delivery-store.js";
import type { ActionTarget } from "./inspector-actions.js";
import { loadAssets } from "./inspector-assets.js";
import { createInspectorRoutes, INSPECTOR_PATH } from "./inspector-routes.js";
import { createLogSink } from "./log-sink.js";
import { createDeliveriesWriter, readSavedDeliveries } from "./store-file.js";

/** Options of {@link createInspector}. */
export interface InspectorOptions {
  /** The dev state folder: deliveries are kept there. */
  readonly stateDir: string;
  /** Required from the page in the x-dev-token header. */
  readonly devToken: string;
  readonly target: ActionTarget;
  /** Told when the deliveries cannot be saved. */
  readonly onSaveError: (error: unknown) => void;
}

/** A ready inspector: plug `observer` into the receiver, `logSink` beside the log destination, `routes` into the app. */
export interface Inspector {
  readonly store: DeliveryStore;
  readonly observer: DeliveryObserver;
  readonly logSink: Writable;
  readonly routes: Router;
  /** A destination writing to `console` and to {@link Inspector.logSink}, for the logger of `dev`. */
  teeLogs(console: DestinationStream): DestinationStream;
  /** The page's URL on `baseUrl`, with the dev token in the fragment (which browsers never send). */
  url(baseUrl: string): string;
  /** Saves what is left to save. */
  close(): Promise<void>;
}

/** Creates the inspector. @throws Error when its assets are missing */
export async function createInspector(options: InspectorOptions): Promise<Inspector> {
  const store = createDeliveryStore({ initial: await readSavedDeliveries(options.stateDir) });
  const writer = createDeliveriesWriter(options.stateDir, () => store.list(), options.onSaveError);
  store.subscribe(() => writer.changed());
  const logSink = createLogSink((eventId, line) => store.addLogLine(eventId, line));
  const routes = createInspectorRoutes({ store, devToken: options.devToken, target: options.target, assets: await loadAssets() });
  return {
    store,
    observer: (observation) => void store.add(observation),
    logSink,
    routes,
    teeLogs(console) {
      const streams = pino.multistream([
        { stream: console, level: "trace" },
        { stream: logSink, level: "trace" },
      ]);
      // pino's flush (on shutdown) calls the destination's flush, which multistream lacks.
      return Object.assign(streams, { flush: (done: () => void) => (streams.flushSync(), done()) });
    },
    url: (baseUrl) => `${baseUrl}${INSPECTOR_PATH}/#token=${encodeURIComponent(options.devToken)}`,
    close: () => writer.flush(),
  };
}
