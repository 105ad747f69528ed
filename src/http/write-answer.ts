// Writing the core's answer on a Node response: the extra headers, then the JSON in one writeHead + end.
import type { ServerResponse } from "node:http";
import type { WebhookAnswer } from "../receiver/webhook-request.js";
import { sendJson } from "./send-json.js";

/** Writes `answer` on `res` (with the security headers of every answer). */
export function writeAnswer(res: ServerResponse, answer: WebhookAnswer): void {
  if (answer.headers !== undefined) for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  sendJson(res, answer.status, answer.body, answer.retryAfterSeconds);
}
