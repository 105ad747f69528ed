// Per-IP rate limits with express-rate-limit: all requests, and failed ones (400/401/413/415) counted apart.
import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, MemoryStore, rateLimit, type IncrementResponse, type Options, type Store } from "express-rate-limit";
import type { Logger } from "pino";
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import { toErrorResponse } from "./error-response.js";
import { sendJson } from "./send-json.js";

const WINDOW_MS = 60_000;
/** Statuses that count against the failure limit (DESIGN.md section 10). */
const FAILURE_STATUSES = new Set([400, 401, 413, 415]);

/** The client key: the IP (with `trust proxy`, the forwarded one), IPv6 grouped by /56. */
export function clientKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? "unknown");
}

/**
 * A store that only reads the failure count on each request (so the limiter can refuse once
 * the count is past the limit) and is incremented by {@link FailureCounter.record} when a
 * request is answered with a failure status. Counting answers, not requests, keeps in-flight
 * requests out of the count (unlike `skipSuccessfulRequests`).
 */
class FailureCountStore implements Store {
  readonly localKeys: boolean;
  constructor(private readonly counts: Store) {
    this.localKeys = counts.localKeys ?? false;
  }
  init(options: Options): void {
    void this.counts.init?.(options);
  }
  async increment(key: string): Promise<IncrementResponse> {
    const info = await this.counts.get?.(key);
    // "+1": this request, were it to fail, is the one that would pass the limit.
    return { totalHits: (info?.totalHits ?? 0) + 1, resetTime: info?.resetTime };
  }
  decrement(): void {}
  resetKey(key: string): Promise<void> | void {
    return this.counts.resetKey(key);
  }
  shutdown(): Promise<void> | void {
    return this.counts.shutdown?.();
  }
}

/** Counts failed answers per client for the failure limiter. */
export interface FailureCounter {
  /**
   * Counts the answer `status` for `req` when it is a failure status. Await it before answering,
   * so the client's next request already sees the count (a store error is swallowed: the count
   * is best effort, the answer is not).
   */
  record(req: Request, status: number): Promise<void> | undefined;
}

/** The limiter middleware and the failure counter the webhook route reports to. */
export interface RateLimits {
  readonly middleware: RequestHandler[];
  readonly failures: FailureCounter;
  close(): void;
}

function rejectWith429(): Options["handler"] {
  return (req, res) => {
    const info = (req as Request & { rateLimitFailures?: { resetTime?: Date } }).rateLimitFailures;
    let retryAfter: number | undefined;
    if (!res.hasHeader("Retry-After")) {
      const reset = info?.resetTime?.getTime();
      retryAfter = reset === undefined ? 60 : Math.max(1, Math.ceil((reset - Date.now()) / 1000));
    }
    const answer = toErrorResponse(new DeliveryRejectedError(ErrorCode.RATE_LIMITED, "too many requests; slow down"));
    sendJson(res, answer.status, answer.body, retryAfter);
  };
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

/**
 * Creates the limiters. `perMinute` limits every request; `failuresPerMinute` refuses every
 * request of a client once that many of its requests failed within the window. 0 disables one.
 * With a shared store (Redis) the counts hold across instances; when that store fails, requests
 * pass (the replay store then fails closed on its own).
 */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const { perMinute, failuresPerMinute, makeStore = memoryStores, logger } = options;
  const middleware: RequestHandler[] = [];
  const stores: Store[] = [];
  const common = {
    windowMs: WINDOW_MS,
    keyGenerator: clientKey,
    validate: false,
    passOnStoreError: true,
    // A store outage is logged once by its connection; per request it is only debug noise.
    logger: {
      error: (error: unknown, message?: string) => logger?.debug({ err: error }, message ?? "rate limit store error"),
      warn: (error: unknown, message?: string) => logger?.debug({ err: error }, message ?? "rate limit store warning"),
    },
    handler: rejectWith429(),
  } as const;
  if (perMinute > 0) {
    const store = makeStore("requests");
    stores.push(store);
    middleware.push(rateLimit({ ...common, limit: perMinute, standardHeaders: "draft-7", legacyHeaders: false, store }));
  }
  const counts = failuresPerMinute > 0 ? makeStore("failures") : undefined;
  if (counts !== undefined) {
    const store = new FailureCountStore(counts);
    stores.push(store);
    middleware.push(
      rateLimit({
        ...common,
        limit: failuresPerMinute,
        standardHeaders: false,
        legacyHeaders: false,
        requestPropertyName: "rateLimitFailures",
        store,
      }),
    );
  }
  return {
    middleware,
    failures: {
      record(req, status) {
        if (counts === undefined || !FAILURE_STATUSES.has(status)) return undefined;
        return Promise.resolve(counts.increment(clientKey(req))).then(
          () => undefined,
          () => undefined,
        );
      },
    },
    close() {
      for (const store of stores) void store.shutdown?.();
    },
  };
}
