// Server-Sent Events over an Express response: named JSON events, a comment every so often to keep proxies from closing it.
import type { Response } from "express";

/** How often an idle stream sends a comment line. */
const KEEP_ALIVE_MS = 15_000;

/** An open event stream. */
export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
}

/** Starts an event stream on `res` (text/event-stream, no caching); `onClose` runs once when the client leaves. */
export function openEventStream(res: Response, onClose: () => void): EventStream {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.write(": connected\n\n");
  const timer = setInterval(() => res.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  timer.unref();
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    onClose();
    res.end();
  };
  res.on("close", close);
  return {
    // JSON has no raw newline, so one data line per event.
    send: (event, data) => void (closed || res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
    close,
  };
}
