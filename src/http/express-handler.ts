// The Express 5 adapter of the front door: the request mapped onto `receiver.handle`, the answer written once.
import type { Request, RequestHandler } from "express";
import type { WebhookReceiver } from "../receiver/create-receiver.js";
import { clientAddress, clientKey } from "./client-key.js";
import { readNodeBody } from "./read-node-body.js";
import { writeAnswer } from "./write-answer.js";

/**
 * The webhook route's handler for Express (`app.post(path, handler)` or a router): every
 * guarantee lives in `receiver.handle`; this maps `req` / `res` onto it. A sender that went
 * away gets its connection closed and no answer.
 */
export function createExpressHandler(receiver: Pick<WebhookReceiver, "handle">): RequestHandler {
  return (req: Request, res, next) => {
    receiver
      .handle({
        method: req.method,
        headers: req.headers,
        clientKey: clientKey(req),
        clientAddress: clientAddress(req),
        readBody: (limit) => readNodeBody(req, limit),
      })
      .then((answer) => (answer === undefined ? void req.socket.destroy() : writeAnswer(res, answer)), next);
  };
}
