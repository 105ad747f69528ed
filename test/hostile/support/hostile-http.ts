// Hand-built HTTP/1.1 requests for the hostile suite: any bytes, any framing, and a classified answer.
import { createHmac } from "node:crypto";
import { connect } from "node:net";

/** The error codes of README, "Status and error codes", by HTTP status. */
export const DESIGN_CODES: Readonly<Record<number, readonly string[]>> = {
  400: ["missing_header", "malformed_header", "invalid_payload"],
  401: ["invalid_signature", "timestamp_out_of_tolerance"],
  409: ["delivery_in_progress"],
  413: ["payload_too_large"],
  415: ["unsupported_media_type"],
  429: ["rate_limited"],
  500: ["handler_failed"],
  503: ["verification_key_unavailable", "replay_store_unavailable", "handler_timeout"],
};

/**
 * Who answered: `ours` (a JSON `{error, message}` or `{status, id}` body written by the service),
 * `node` (Node's own HTTP-level answer without our JSON, e.g. `400 Bad Request` or `431`),
 * `closed` (the connection ended without any answer), `timeout` (nothing within the bound).
 */
export type AnswerKind = "ours" | "node" | "closed" | "timeout";

/** One classified answer. */
export interface HostileAnswer {
  readonly kind: AnswerKind;
  readonly status: number | undefined;
  /** The status line and headers, as text. */
  readonly head: string;
  readonly body: Record<string, unknown> | undefined;
  readonly ms: number;
}

/** Options of {@link sendRaw}. */
export interface SendRawOptions {
  /** Half-close our side after writing (so a server waiting for more bytes sees EOF). */
  readonly halfClose?: boolean;
  /** Give up after this long. Defaults to 5000 ms. */
  readonly timeoutMs?: number;
}

/** Writes `bytes` to 127.0.0.1:`port` and classifies the first answer. Never rejects. */
export function sendRaw(port: number, bytes: Buffer, options: SendRawOptions = {}): Promise<HostileAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(classify(Buffer.concat(chunks), timedOut, performance.now() - started));
    };
    const timer = setTimeout(() => finish(true), options.timeoutMs ?? 5000);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (firstResponseComplete(Buffer.concat(chunks))) finish(false);
    });
    socket.on("error", () => finish(false)); // EPIPE / ECONNRESET after the server answered early
    socket.on("close", () => finish(false));
    socket.write(bytes, () => {
      if (options.halfClose === true && !socket.destroyed) socket.end();
    });
  });
}

function firstResponseComplete(data: Buffer): boolean {
  const split = data.indexOf("\r\n\r\n");
  if (split < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, split).toString("latin1"));
  return length !== null && data.length >= split + 4 + Number(length[1]);
}

function classify(data: Buffer, timedOut: boolean, ms: number): HostileAnswer {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(data.subarray(0, 16).toString("latin1"));
  if (match === null) return { kind: timedOut ? "timeout" : "closed", status: undefined, head: "", body: undefined, ms };
  const status = Number(match[1]);
  const split = data.indexOf("\r\n\r\n");
  const head = data.subarray(0, split < 0 ? data.length : split).toString("latin1");
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const bodyText = split < 0 || length === null ? "" : data.subarray(split + 4, split + 4 + Number(length[1])).toString("utf8");
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const ours = body !== undefined && (typeof body.error === "string" || typeof body.status === "string");
  return { kind: ours ? "ours" : "node", status, head, body, ms };
}

/** How the request declares its body length. */
export type Framing =
  | { readonly kind: "content-length" } // the true length
  | { readonly kind: "declared"; readonly value: string } // any Content-Length text
  | { readonly kind: "none" } // neither Content-Length nor Transfer-Encoding
  | { readonly kind: "raw" }; // the caller's lines carry the framing headers; body bytes as given

/** Options of {@link buildRequest}. */
export interface BuildOptions {
  readonly path?: string;
  /** Header lines (`name: value`), any bytes; no Content-Type is added for you. */
  readonly lines: ReadonlyArray<string | Buffer>;
  readonly body?: Buffer | string;
  readonly framing?: Framing;
  readonly method?: string;
  readonly version?: string;
}

/** The request as bytes, `Connection: close`, with the body framed as asked. */
export function buildRequest(options: BuildOptions): Buffer {
  const body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body ?? "", "utf8");
  const framing = options.framing ?? { kind: "content-length" };
  const head = [`${options.method ?? "POST"} ${options.path ?? "/webhooks/chatgpt"} ${options.version ?? "HTTP/1.1"}`, "Host: 127.0.0.1", "Connection: close"];
  if (framing.kind === "content-length") head.push(`Content-Length: ${body.length}`);
  if (framing.kind === "declared") head.push(`Content-Length: ${framing.value}`);
  const parts: Buffer[] = [Buffer.from(head.join("\r\n") + "\r\n", "latin1")];
  for (const line of options.lines) parts.push(Buffer.isBuffer(line) ? line : Buffer.from(line, "latin1"), Buffer.from("\r\n"));
  parts.push(Buffer.from("\r\n"), body);
  return Buffer.concat(parts);
}

/** A chunked body: `chunkSize`-byte chunks, terminated by `0\r\n\r\n` unless `terminate` is false. */
export function chunked(body: Buffer, chunkSize: number, terminate = true): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += chunkSize) {
    const piece = body.subarray(offset, offset + chunkSize);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
  }
  if (terminate) parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

/** chatgpt-scheme signature over any timestamp text (even ones our parser refuses). */
export function signChatgpt(secret: string, timestampText: string, body: Buffer | string): string {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(`${timestampText}.`).update(body).digest("hex");
}

/** The two chatgpt header lines for `body`, signed with `secret` over `timestampText`. */
export function signedLines(secret: string, body: Buffer | string, timestampText: string): string[] {
  return [`x-chatgpt-timestamp: ${timestampText}`, `x-chatgpt-signature: v1=${signChatgpt(secret, timestampText, body)}`];
}

/** Runs `task` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
