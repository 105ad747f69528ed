// Log lines gathered into a few large synchronous writes on a sonic-boom destination.
import type pino from "pino";

/** What the batch writes to: pino's sonic-boom destination (`pino.destination`), unbuffered. */
export type LineTarget = Pick<ReturnType<typeof pino.destination>, "write" | "flush" | "flushSync">;

/** A pino destination that gathers lines; `flush` and `flushSync` write what is gathered. */
export interface LineBatch {
  write(line: string): void;
  flush(done?: (error?: Error) => void): void;
  flushSync(): void;
}

/**
 * Gathers lines in one string and hands them to `target` once they reach `minLength`
 * characters (and on every flush). sonic-boom buffers too, but it measures the byte length of
 * its whole pending buffer on every write, which costs more than formatting the line itself
 * (docs/BENCHMARKS.md); here each line costs one string append. `target` does the writing
 * (partial writes, `EAGAIN` retries), so give it `minLength: 0`.
 */
export function batchLines(target: LineTarget, minLength: number): LineBatch {
  let pending = "";
  const release = (): void => {
    if (pending.length === 0) return;
    const chunk = pending;
    pending = ""; // cleared first: a failed write is not sent again with the next batch
    target.write(chunk);
  };
  return {
    write(line) {
      pending += line;
      if (pending.length >= minLength) release();
    },
    flush(done) {
      release();
      target.flush(done);
    },
    flushSync() {
      release();
      target.flushSync();
    },
  };
}
