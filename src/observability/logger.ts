// pino logger with redaction: no secret, signature, token or authorization header can be logged.
import pino, { type DestinationStream, type Logger } from "pino";
import { isColorSupported, prettyFactory } from "pino-pretty";
import { batchLines, type LineBatch } from "./line-batch.js";

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
  const destination = batchedDestination(1);
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // stdout is gone: the next line will tell
    }
  }, FLUSH_EVERY_MS).unref();
  return destination;
}

/** Lines gathered into synchronous writes of 4096 characters or more on `dest`, a file descriptor or path (`flush` writes the rest). */
export function batchedDestination(dest: number | string): LineBatch {
  return batchLines(pino.destination({ dest, sync: true, minLength: 0 }), 4096);
}

/** The log line formats (`LOG_FORMAT`, README "Operations"): pino JSON, or pino-pretty's human-readable lines. */
export const LOG_FORMATS = ["json", "pretty"] as const;

/** A log line format. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The format a command logs in: `LOG_FORMAT` when set; otherwise JSON, except for a command that
 * prefers readable lines (`dev`) writing to a terminal.
 */
export function chooseLogFormat(explicit: LogFormat | undefined, prefersPretty: boolean, isTerminal: boolean): LogFormat {
  return explicit ?? (prefersPretty && isTerminal ? "pretty" : "json");
}

/**
 * A destination that turns each JSON line into one human-readable line (pino-pretty's
 * `prettyFactory`, in this thread and synchronous, so a line logged just before exit is not
 * lost). Redaction has already happened: pino censors before a line is serialized.
 */
function prettyDestination(sink: DestinationStream | undefined): DestinationStream {
  const target = sink ?? pino.destination({ dest: 1, sync: true });
  const toText = prettyFactory({
    colorize: sink === undefined && isColorSupported, // a terminal, unless NO_COLOR says otherwise
    singleLine: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
  });
  return { write: (line: string) => target.write(toText(line)) };
}

/**
 * Stdout in `format`, for a logger that writes JSON lines to a destination of its own first (`dev`
 * copies them to its inspector): buffered JSON lines, or unbuffered pretty ones.
 */
export function stdoutDestination(format: LogFormat): DestinationStream {
  return format === "pretty" ? prettyDestination(undefined) : bufferedStdout();
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; defaults to `info`. */
  readonly level?: string;
  /** `json` (default) or `pretty`. */
  readonly format?: LogFormat;
  /**
   * Where lines go; defaults to a buffered stdout (flushed every 200 ms and on shutdown) for
   * JSON, an unbuffered one for pretty lines, which are meant for a person watching.
   */
  readonly destination?: DestinationStream;
}

/** Creates the service logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.format === "pretty" ? prettyDestination(options.destination) : (options.destination ?? bufferedStdout());
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
      base: { service: "chatgpt-webhook-receiver" },
    },
    destination,
  );
}
