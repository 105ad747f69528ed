// createReceiver: the core receiver with its Express 5 router, the library's main entry point.
import { Router, type RequestHandler } from "express";
import { createWebhookReceiver, type WebhookReceiver } from "../receiver/create-receiver.js";
import type { ReceiverOptions } from "../receiver/options.js";
import { createExpressHandler } from "./express-handler.js";

/** A webhook receiver for Express: register handlers with `on`, mount `router` or `middleware`. */
export interface Receiver extends WebhookReceiver {
  /** Router answering `POST /` (mount it at your webhook path) and 405 for other methods. */
  readonly router: Router;
  /** The handler chain, for `app.post(path, ...receiver.middleware)`. */
  readonly middleware: RequestHandler[];
  /** The 405 answer for other methods on the webhook path, for `app.all(path, ...)`. */
  readonly methodNotAllowed: RequestHandler;
}

/**
 * Creates a receiver with its Express router (the same core as `createWebhookReceiver`).
 * @throws ConfigError naming the option at fault
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  const core = createWebhookReceiver(options);
  const handler = createExpressHandler(core);
  const router = Router();
  router.all("/", handler);
  return { ...core, router, middleware: [handler], methodNotAllowed: handler };
}
