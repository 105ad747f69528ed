// The logger's redaction: secrets, signatures, tokens and authorization headers never reach a line.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/observability/logger.js";

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe("createLogger redaction", () => {
  it("redacts secrets, tokens, signatures and authorization headers wherever they appear", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "info", destination });
    logger.info(
      {
        secret: "s3cret-value-1",
        token: "tok-value-2",
        client_secret: "cs-value-3",
        req: { headers: { authorization: "Bearer abc.def.ghi", "x-chatgpt-signature": "v1=deadbeef", "webhook-signature": "v1,Zm9v" } },
        config: { clientSecret: "cs-value-4", privateKey: "pk-value-5", access_token: "at-value-6" },
        headers: { "x-chatgpt-signature": "v1=cafebabe" },
      },
      "something",
    );
    const text = lines.join("");
    for (const leaked of ["s3cret-value-1", "tok-value-2", "cs-value-3", "abc.def.ghi", "deadbeef", "Zm9v", "cs-value-4", "pk-value-5", "at-value-6", "cafebabe"]) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain("[redacted]");
    expect(JSON.parse(text)).toMatchObject({ msg: "something", level: 30 });
  });
});
