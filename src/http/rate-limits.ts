// Per-IP rate limits: express-rate-limit for all requests, and the failure limit of failed answers.
import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, MemoryStore, rateLimit, type Store } from "express-rate-limit";
import type { Logger } from "pino";
import { createFailureLimiter, type FailureLimiter } from "./failure-limiter.js";
import { sendRateLimited, WINDOW_MS, type LimitInfo } from "./rate-limit-answer.js";

const CLIENT_KEY = Symbol("clientKey");

/**
 * The client key: the IP (with `trust proxy`, the forwarded one), IPv6 grouped by /56.
 * Computed once per request (`req.ip` walks the proxy chain each time it is read).
 */
export function clientKey(req: Request): string {
  const cached = req as Request & { [CLIENT_KEY]?: string };
  if (cached[CLIENT_KEY] !== undefined) return cached[CLIENT_KEY];
  // Without `trust proxy`, req.ip is the socket address anyway, but costs an X-Forwarded-For parse.
  const ip = req.app.enabled("trust proxy") ? req.ip : req.socket.remoteAddress;
  return (cached[CLIENT_KEY] = ipKeyGenerator(ip ?? "unknown"));
}

/** Which limiter a store is for (stores of different limiters must not share keys). */
export type RateLimiterName = "requests" | "failures";

/** Makes the store of one limiter; the default keeps counts in this process's memory. */
export type RateLimitStoreFactory = (limiter: RateLimiterName) => Store;

const memoryStores: RateLimitStoreFactory = () => new MemoryStore();

/** Options of {@link createRateLimits}. */
export interface RateLimitOptions {
  /** Requests per minute per client; 0 disables. */
  readonly perMinute: number;
  /** Failed answers per minute per client before all its requests get 429; 0 disables. */
  readonly failuresPerMinute: number;
  /** Store per limiter. Defaults to memory (per instance). */
  readonly makeStore?: RateLimitStoreFactory;
  readonly logger?: Logger;
}

/** The request limiter middleware and the failure limiter the webhook route consults. */
export interface RateLimits {
  readonly middleware: RequestHandler[];
  /** `undefined` when the failure limit is disabled. */
  readonly failures: FailureLimiter | undefined;
  close(): void;
}

/**
 * Creates the limiters. `perMinute` limits every request (express-rate-limit middleware);
 * `failuresPerMinute` refuses every request of a client once that many of its requests were
 * answered 400/401/413/415 within the window. 0 disables one. With a shared store (Redis) the
 * counts hold across instances; when that store fails, requests pass (the replay store then
 * fails closed on its own).
 */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const { perMinute, failuresPerMinute, makeStore = memoryStores, logger } = options;
  const middleware: RequestHandler[] = [];
  const stores: Store[] = [];
  if (perMinute > 0) {
    const store = makeStore("requests");
    stores.push(store);
    middleware.push(
      rateLimit({
        windowMs: WINDOW_MS,
        limit: perMinute,
        keyGenerator: clientKey,
        store,
        validate: false,
        passOnStoreError: true,
        standardHeaders: false,
        legacyHeaders: false,
        // A store outage is logged once by its connection; per request it is only debug noise.
        logger: {
          error: (error: unknown, message?: string) => logger?.debug({ err: error }, message ?? "rate limit store error"),
          warn: (error: unknown, message?: string) => logger?.debug({ err: error }, message ?? "rate limit store warning"),
        },
        handler: (req, res) => sendRateLimited(res, (req as Request & { rateLimit?: LimitInfo }).rateLimit),
      }),
    );
  }
  const failures = failuresPerMinute > 0 ? createFailureLimiter(makeStore("failures"), failuresPerMinute, logger) : undefined;
  return {
    middleware,
    failures,
    close() {
      for (const store of stores) void Promise.resolve(store.shutdown?.()).catch(() => undefined);
      failures?.close();
    },
  };
}
