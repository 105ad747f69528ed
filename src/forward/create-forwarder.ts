// The built-in forward handler: each verified event POSTed to FORWARD_URL with a client-credentials token (README, "Forwarding to an internal service").
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Dispatcher } from "undici";
import { systemClock, type Clock } from "../clock.js";
import type { HandlerContext } from "../dispatch/handler.js";
import { createHttpClient } from "../http-client/http-client.js";
import type { TokenProvider } from "../oauth/token-provider.js";
import { ForwardError } from "./forward-error.js";
import { forwardHeaders, type ForwardedEvent } from "./forward-request.js";
import { forwardVerdict, type ForwardVerdict } from "./forward-verdict.js";
import { createForwardMetrics, type ForwardOutcome } from "./metrics.js";
import { sendForward, SendFailedError, type ForwardResponse } from "./send-forward.js";
import { createTypeFilter, registrationTypes } from "./type-filter.js";

/** Options of {@link createForwarder}. */
export interface ForwarderOptions {
  /** `FORWARD_URL` (already checked: https, or http where allowed). */
  readonly url: string;
  /** `FORWARD_TYPES`: exact types or `prefix.*`. Defaults to every type. */
  readonly types?: readonly string[];
  /** Tokens for the internal service (its own provider: scopes and audience of the forward). */
  readonly tokens: TokenProvider;
  /** `FORWARD_SIGNING_SECRET` (`whsec_...`). Defaults to none (no signature headers). */
  readonly signingSecret?: string | undefined;
  /** `FORWARD_TIMEOUT_MS`. Defaults to 5000. */
  readonly timeoutMs?: number;
  readonly logger: Logger;
  /** Where `webhook_forwards_total` and its histogram go. Defaults to none. */
  readonly registry?: Registry | undefined;
  /** Defaults to the system clock. */
  readonly clock?: Clock | undefined;
  /** Dispatcher instead of our own pooled Agent (tests). */
  readonly dispatcher?: Dispatcher | undefined;
}

/** The forward handler and what the service needs around it. */
export interface Forwarder {
  /** The registry keys to register {@link Forwarder.handler} under. */
  readonly registrations: readonly string[];
  /** The handler: forwards the event, or throws a {@link ForwardError}. */
  readonly handler: (event: unknown, context: HandlerContext) => Promise<void>;
  /** Closes the connection pool (not the token provider). */
  close(): Promise<void>;
}

/**
 * Creates the forward handler. 2xx succeeds; 401 drops the token and tries once more with a new
 * one; 408, 429, 5xx, timeouts, network and token failures throw a retryable ForwardError; any
 * other status a permanent one.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const host = new URL(options.url).host;
  const wants = createTypeFilter(options.types ?? []);
  const http = createHttpClient({ dispatcher: options.dispatcher });
  const metrics = createForwardMetrics(options.registry);
  const { tokens } = options;

  async function token(): Promise<string> {
    try {
      return await tokens.getToken();
    } catch (error) {
      throw new ForwardError(`no token for the forward to ${host}`, { retryable: true, host, cause: error });
    }
  }

  async function send(event: ForwardedEvent, accessToken: string, signal: AbortSignal): Promise<ForwardResponse> {
    const headers = forwardHeaders(event, accessToken, options.signingSecret, Math.floor(clock.now() / 1000));
    return sendForward(http.fetch, options.url, headers, event.body, timeoutMs, signal);
  }

  /** Forwards once, and once more with a new token after a 401. */
  async function forward(event: ForwardedEvent, signal: AbortSignal): Promise<{ verdict: ForwardVerdict; status: number }> {
    let accessToken = await token();
    let response = await send(event, accessToken, signal);
    if (response.status === 401) {
      tokens.invalidate(accessToken);
      accessToken = await token();
      response = await send(event, accessToken, signal);
    }
    const verdict = forwardVerdict(response.status, response.retryAfter, clock.now());
    // A second 401 with a fresh token: the service refuses our tokens, not this event; retry later.
    return { verdict: verdict.kind === "unauthorized" ? { kind: "retryable", retryAfterMs: undefined } : verdict, status: response.status };
  }

  async function handler(_event: unknown, context: HandlerContext): Promise<void> {
    if (!wants(context.type)) return;
    const event: ForwardedEvent = { body: context.rawBody, id: context.id, type: context.type, deliveryId: context.deliveryId };
    const started = performance.now();
    let outcome: ForwardOutcome = "delivered";
    try {
      const { verdict, status } = await forward(event, context.signal);
      if (verdict.kind === "delivered") {
        context.logger.debug({ host, status, attempt: context.attempt }, "event forwarded");
        return;
      }
      const retryable = verdict.kind === "retryable";
      outcome = retryable ? "retryable" : "permanent";
      const retryAfterMs = verdict.kind === "retryable" ? verdict.retryAfterMs : undefined;
      context.logger.warn({ host, status, outcome, attempt: context.attempt }, "forward refused by the internal service");
      throw new ForwardError(`${host} answered ${status}`, { retryable, retryAfterMs, status, host });
    } catch (error) {
      if (error instanceof SendFailedError) {
        outcome = error.failure === "timeout" ? "timeout" : "network_error";
        context.logger.warn({ host, outcome, attempt: context.attempt }, "forward got no answer");
        throw new ForwardError(`no answer from ${host} (${error.failure})`, { retryable: true, host });
      }
      if (error instanceof ForwardError && error.status === undefined) {
        outcome = "token_error";
        context.logger.warn({ host, outcome, code: (error.cause as { code?: unknown } | undefined)?.code, attempt: context.attempt }, "forward has no token");
      }
      throw error;
    } finally {
      metrics.observe(outcome, (performance.now() - started) / 1000);
    }
  }

  return { registrations: registrationTypes(options.types ?? []), handler, close: () => http.close() };
}
