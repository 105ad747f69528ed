// pino logger with redaction: no secret, signature, token or authorization header can be logged.
import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Paths redacted wherever they appear in a log object (headers of requests we log, options
 * objects, errors carrying a response). Keys we never log are listed anyway, as a second fence.
 */
export const REDACT_PATHS: readonly string[] = [
  "secret",
  "*.secret",
  "secrets",
  "*.secrets",
  "token",
  "*.token",
  "access_token",
  "*.access_token",
  "client_secret",
  "*.client_secret",
  "clientSecret",
  "*.clientSecret",
  "client_assertion",
  "*.client_assertion",
  "privateKey",
  "*.privateKey",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  'headers["x-chatgpt-signature"]',
  '*.headers["x-chatgpt-signature"]',
  'headers["webhook-signature"]',
  '*.headers["webhook-signature"]',
  "signature",
  "*.signature",
];

/** Buffered log lines are written at least this often, so a quiet service's lines are not held back. */
const FLUSH_EVERY_MS = 200;

/**
 * A stdout destination that batches lines into writes of 4 KB or more (one write syscall per
 * line costs as much as the rest of a delivery's logging), flushed every {@link FLUSH_EVERY_MS}
 * ms and on shutdown (`logger.flush`). The batched write itself is synchronous, as pino's
 * default destination is: measured cheaper per line than handing each batch to libuv's thread
 * pool (figures in docs/BENCHMARKS.md). The trade-off is
 * pino's too: a stdout pipe that stays full (a stalled log collector) holds the event loop while
 * a batch waits to be written, where an asynchronous destination would buffer in memory.
 */
export function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096 });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // nothing buffered, or stdout is gone: the next line will tell
    }
  }, FLUSH_EVERY_MS).unref();
  return destination;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; defaults to `info`. */
  readonly level?: string;
  /** Where lines go; defaults to a buffered stdout (flushed every 200 ms and on shutdown). */
  readonly destination?: DestinationStream;
}

/** Creates the service logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? bufferedStdout();
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
      base: { service: "chatgpt-webhook-receiver" },
    },
    destination,
  );
}
