// The logger's redaction: secrets, signatures, tokens and authorization headers never reach a line.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { chooseLogFormat, createLogger } from "../../../src/observability/logger.js";

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

describe("createLogger pretty format", () => {
  it("writes one human-readable line per entry, with no colour codes when writing to a given destination", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "info", format: "pretty", destination });
    logger.info({ event_id: "evt_pretty_1", outcome: "processed" }, "delivery handled");
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(() => JSON.parse(line) as unknown).toThrow();
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: delivery handled \{.*"event_id":"evt_pretty_1".*\}\n$/);
    expect(line).not.toContain("\u001b[");
    expect(line).not.toContain("chatgpt-webhook-receiver"); // the constant service field is left out
  });

  it("keeps redaction: no secret, token or signature reaches a pretty line", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: "info", format: "pretty", destination });
    logger.child({ component: "test" }).warn(
      {
        secret: "s3cret-value-1",
        token: "tok-value-2",
        req: { headers: { authorization: "Bearer abc.def.ghi", "webhook-signature": "v1,Zm9vYmFy" } },
        headers: { "x-chatgpt-signature": "v1=cafebabe" },
        config: { clientSecret: "cs-value-4" },
        signature: "sig-value-5",
      },
      "something",
    );
    const text = lines.join("");
    expect(text).toContain("WARN");
    for (const leaked of ["s3cret-value-1", "tok-value-2", "abc.def.ghi", "Zm9vYmFy", "cafebabe", "cs-value-4", "sig-value-5"]) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain("[redacted]");
  });
});

describe("chooseLogFormat", () => {
  it.each([
    [undefined, true, true, "pretty"], // dev at a terminal
    [undefined, true, false, "json"], // dev into a pipe or file
    [undefined, false, true, "json"], // serve, even at a terminal
    ["json", true, true, "json"],
    ["pretty", false, false, "pretty"],
  ] as const)("LOG_FORMAT=%s, prefers pretty %s, terminal %s: %s", (explicit, prefersPretty, isTerminal, expected) => {
    expect(chooseLogFormat(explicit, prefersPretty, isTerminal)).toBe(expected);
  });
});
