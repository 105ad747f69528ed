// Sending hand-made HTTP/1.1 bytes over a socket, for requests fetch refuses to build.
import { connect } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly head: string;
  readonly body: string;
}

/** Writes `request` to 127.0.0.1:`port` and reads until the server closes or answers fully. */
export function rawRequest(port: number, request: Buffer | string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(text.slice(0, split));
      if (split >= 0 && length && text.length >= split + 4 + Number(length[1])) socket.end();
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      resolve({ status: Number(text.slice(9, 12)), head: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(request);
  });
}

/** A POST request as bytes: headers given as raw `name: value` lines (any bytes allowed). */
export function rawPost(path: string, headerLines: Array<string | Buffer>, body: Buffer | string): Buffer {
  const bodyBytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = [`POST ${path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close", `Content-Length: ${bodyBytes.length}`];
  const parts: Buffer[] = [Buffer.from(head.join("\r\n") + "\r\n")];
  for (const line of headerLines) parts.push(Buffer.isBuffer(line) ? line : Buffer.from(line, "latin1"), Buffer.from("\r\n"));
  parts.push(Buffer.from("\r\n"), bodyBytes);
  return Buffer.concat(parts);
}
