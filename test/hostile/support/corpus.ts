// The generated corpus of malformed, forged and hostile webhook requests (chatgpt scheme), each with the answers it may get.
import fc from "fast-check";
import { buildRequest, chunked, signChatgpt, signedLines, type Framing } from "./hostile-http.js";
import { loadFixtures } from "../../support/fixtures.js";

/** One hostile request and what may answer it. */
export interface CorpusCase {
  readonly group: string;
  readonly name: string;
  readonly bytes: Buffer;
  /** The documented error codes (README, "Status and error codes") our code may answer with. */
  readonly codes: readonly string[];
  /** Malformed at the HTTP level: Node's parser may answer (400/413/431, no JSON) or close instead. */
  readonly httpLevel?: boolean;
  /** Half-close after writing (the request promises more bytes than it sends). */
  readonly halfClose?: boolean;
}

/** Settings the corpus is generated for. */
export interface CorpusSettings {
  readonly secret: string;
  readonly maxBodyBytes: number;
  readonly nowSeconds: number;
  /** fast-check seed of the random parts. */
  readonly seed: number;
}

const JSON_CT = "Content-Type: application/json";
const MISSING = ["missing_header"];
const MALFORMED = ["malformed_header"];
const FORGED = ["invalid_signature"];
const INVALID_PAYLOAD = ["invalid_payload"];
const TOO_LARGE = ["payload_too_large"];
const MEDIA = ["unsupported_media_type"];
const ANY_HEADER = ["missing_header", "malformed_header", "invalid_signature", "timestamp_out_of_tolerance"];

let sequence = 0;
const eventBody = (extra: Record<string, unknown> = {}): Buffer => {
  sequence += 1;
  return Buffer.from(JSON.stringify({ id: `evt_hostile_${process.pid}_${sequence}`, object: "event", type: "response.completed", data: { id: `resp_${sequence}` }, ...extra }));
};

/** Generates the corpus. Every request is forged, unsigned, or signed over a body that is not a valid event. */
export function generateCorpus(settings: CorpusSettings): CorpusCase[] {
  const { secret, maxBodyBytes, nowSeconds } = settings;
  const now = String(nowSeconds);
  const cases: CorpusCase[] = [];
  const add = (group: string, name: string, bytes: Buffer, codes: readonly string[], extra: Partial<CorpusCase> = {}): void =>
    void cases.push({ group, name, bytes, codes, ...extra });
  const forgedSig = (body: Buffer | string, ts = now): string => `x-chatgpt-signature: v1=${signChatgpt("not-the-secret-0123456789abcdef", ts, body)}`;
  const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, offset: number): T[] => fc.sample(arb, { seed: settings.seed + offset, numRuns });

  // 1. Missing and empty headers.
  const tsOptions = { absent: undefined, empty: "x-chatgpt-timestamp: ", valid: `x-chatgpt-timestamp: ${now}` } as const;
  for (const [tsName, tsLine] of Object.entries(tsOptions)) {
    for (const sigName of ["absent", "empty", "forged"] as const) {
      for (const [bodyName, body] of [["event", eventBody()], ["empty", Buffer.alloc(0)], ["garbage", Buffer.from("\u0001garbage")]] as const) {
        const sigLine = sigName === "absent" ? undefined : sigName === "empty" ? "x-chatgpt-signature: " : forgedSig(body);
        const lines = [JSON_CT, tsLine, sigLine].filter((line): line is string => line !== undefined);
        const complete = tsName === "valid" && sigName === "forged";
        add("missing headers", `ts ${tsName}, sig ${sigName}, body ${bodyName}`, buildRequest({ lines, body }), complete ? FORGED : MISSING);
      }
    }
  }

  // 2. Timestamps: each signed validly over its own text, so only the timestamp is wrong.
  const timestamps: Array<[string, readonly string[]]> = [
    ["-1", MALFORMED], [`-${now}`, MALFORMED], [`${now}.0`, MALFORMED], [`${now}.5`, MALFORMED], ["1.7e9", MALFORMED],
    ["1e9", MALFORMED], [`${now}e0`, MALFORMED], ["1E10", MALFORMED], [`0x${nowSeconds.toString(16)}`, MALFORMED],
    [`+${now}`, MALFORMED], ["Infinity", MALFORMED], ["-Infinity", MALFORMED], ["NaN", MALFORMED], ["null", MALFORMED],
    ["true", MALFORMED], ["[]", MALFORMED], [`"${now}"`, MALFORMED], [`[${now}]`, MALFORMED], ["1_700_000_000", MALFORMED],
    ["1,700,000,000", MALFORMED], [`${now},${now}`, MALFORMED], [`${now} ${now}`, MALFORMED], ["9".repeat(16), MALFORMED],
    ["9".repeat(100), MALFORMED], ["9".repeat(4000), MALFORMED], [`${now}n`, MALFORMED], ["0b1", MALFORMED], ["0o17", MALFORMED],
    [`${now}ms`, MALFORMED], [`${now}.`, MALFORMED], [`.${now}`, MALFORMED], [`${now}\u00a0`, MALFORMED], ["\u00a0", MALFORMED],
    [`${now}/1`, MALFORMED], [`${Number(now) * 1000}.0`, MALFORMED], ["-0", MALFORMED], [`${now}-1`, MALFORMED],
    ["0", ["timestamp_out_of_tolerance"]], ["1", ["timestamp_out_of_tolerance"]], ["999999999999999", ["timestamp_out_of_tolerance"]],
    [String(nowSeconds * 1000), ["timestamp_out_of_tolerance"]], [String(nowSeconds - 100_000), ["timestamp_out_of_tolerance"]],
    [String(nowSeconds + 100_000), ["timestamp_out_of_tolerance"]], [String(nowSeconds - 1_000_000_000), ["timestamp_out_of_tolerance"]],
    ["  ", MISSING],
  ];
  for (const [text, codes] of timestamps) {
    for (const shape of ["v1", "bare"] as const) {
      const body = eventBody();
      const digest = signChatgpt(secret, text, body);
      const lines = [JSON_CT, `x-chatgpt-timestamp: ${text}`, `x-chatgpt-signature: ${shape === "v1" ? "v1=" : ""}${digest}`];
      add("timestamps", `${JSON.stringify(text.slice(0, 40))} (${shape})`, buildRequest({ lines, body }), codes);
    }
  }
  // Unicode digits (UTF-8 bytes on the wire).
  for (const digits of ["１７００００００００", "١٧٠٠٠٠٠٠٠٠", "१७००००००००"]) {
    const body = eventBody();
    const line = Buffer.concat([Buffer.from("x-chatgpt-timestamp: "), Buffer.from(digits, "utf8")]);
    add("timestamps", `unicode digits ${digits}`, buildRequest({ lines: [JSON_CT, line, forgedSig(body)], body }), MALFORMED);
  }

  // 3. Signature headers (forged), with a valid timestamp.
  const hex = (char: string, length = 64): string => char.repeat(length);
  const forgedHex = (body: Buffer): string => signChatgpt("forged-secret-0123456789abcdef", now, body);
  const signatureShapes: Array<[string, (body: Buffer) => string | Buffer, readonly string[], boolean?]> = [
    ["v1= only", () => "v1=", MALFORMED],
    ["v1", () => "v1", MALFORMED],
    ["63 hex", () => `v1=${hex("a", 63)}`, MALFORMED],
    ["65 hex", () => `v1=${hex("a", 65)}`, MALFORMED],
    ["64 non-hex", () => `v1=${hex("g")}`, MALFORMED],
    ["hex with an inner space", () => `v1=${hex("a", 32)} ${hex("a", 32)}`, MALFORMED],
    ["v0 entry", (b) => `v0=${forgedHex(b)}`, MALFORMED],
    ["V1 uppercase version", (b) => `V1=${forgedHex(b)}`, MALFORMED],
    ["v1 = with spaces", (b) => `v1 = ${forgedHex(b)}`, MALFORMED],
    ["v1==", (b) => `v1==${forgedHex(b)}`, MALFORMED],
    ["sha256= (GitHub style)", (b) => `sha256=${forgedHex(b)}`, MALFORMED],
    ["standard-webhooks style", () => `v1,${Buffer.alloc(32, 7).toString("base64")}`, MALFORMED],
    ["0x prefix", (b) => `v1=0x${forgedHex(b).slice(2)}`, MALFORMED],
    ["JSON array", (b) => `["v1=${forgedHex(b)}"]`, MALFORMED],
    ["JSON object", (b) => `{"v1":"${forgedHex(b)}"}`, MALFORMED],
    ["percent-encoded", (b) => `v1%3D${forgedHex(b)}`, MALFORMED],
    ["only commas", () => ",,,,", MALFORMED],
    ["1000 commas", () => ",".repeat(1000), MALFORMED],
    ["11 forged entries", (b) => Array.from({ length: 11 }, () => `v1=${forgedHex(b)}`).join(","), MALFORMED],
    ["1000 entries", () => Array.from({ length: 1000 }, () => "v1=a").join(","), MALFORMED],
    ["an 8 KB value", () => `v1=${hex("a", 8000)}`, MALFORMED],
    ["a 15 KB value", () => `v1=${hex("b", 15_000)}`, MALFORMED],
    ["a 20 KB value (over Node's header limit)", () => `v1=${hex("c", 20_000)}`, MALFORMED, true],
    ["check marks (UTF-8)", () => Buffer.from(`v1=${"✓".repeat(21)}a`, "utf8"), MALFORMED],
    ["latin1 bytes", () => Buffer.concat([Buffer.from("v1="), Buffer.alloc(64, 0xe9)]), MALFORMED],
    ["forged v1", (b) => `v1=${forgedHex(b)}`, FORGED],
    ["forged bare", (b) => forgedHex(b), FORGED],
    ["forged upper-case", (b) => `v1=${forgedHex(b).toUpperCase()}`, FORGED],
    ["10 forged entries", (b) => Array.from({ length: 10 }, (_, i) => `v1=${signChatgpt(`forged-${i}-0123456789abcdef`, now, b)}`).join(", "), FORGED],
    ["forged among junk", (b) => `v0=abc, x=y, v1=${forgedHex(b)}, garbage`, FORGED],
    ["all zeros", () => `v1=${hex("0")}`, FORGED],
    ["signature of the empty body", () => `v1=${signChatgpt(secret, now, "")}`, ["invalid_signature", "invalid_payload"]], // valid for the empty body
    ["signature over the body alone", (b) => `v1=${signChatgpt(secret, "", b).slice(0)}`, FORGED],
  ];
  for (const [name, make, codes, tooLarge] of signatureShapes) {
    for (const bodyName of ["event", "empty"] as const) {
      const body = bodyName === "event" ? eventBody() : Buffer.alloc(0);
      const value = make(body);
      const line = Buffer.concat([Buffer.from("x-chatgpt-signature: "), Buffer.isBuffer(value) ? value : Buffer.from(value, "latin1")]);
      add("signature headers", `${name} (${bodyName} body)`, buildRequest({ lines: [JSON_CT, `x-chatgpt-timestamp: ${now}`, line], body }), codes, tooLarge === true ? { httpLevel: true } : {});
    }
  }
  // Random printable signature values built from the grammar's pieces.
  const piece = fc.constantFrom("v1=", "v0=", "v1", "=", ",", " ", ", ", "a", "F", "0", "9", "g", "z", "-", "+", "/", hex("a"), hex("1", 63), "v1=" + hex("d"));
  const printable = fc.array(piece, { minLength: 1, maxLength: 30 }).map((parts) => parts.join(""));
  for (const [i, value] of sample(printable, 120, 1).entries()) {
    const body = eventBody();
    add("random signatures", `printable #${i}`, buildRequest({ lines: [JSON_CT, `x-chatgpt-timestamp: ${now}`, `x-chatgpt-signature: ${value}`], body }), ANY_HEADER);
  }
  // Random bytes (no CR/LF), so Node may refuse control characters first.
  const byteValue = fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes.filter((b) => b !== 10 && b !== 13)));
  for (const [i, value] of sample(byteValue, 60, 2).entries()) {
    const body = eventBody();
    const which = i % 2 === 0 ? "x-chatgpt-signature: " : "x-chatgpt-timestamp: ";
    const other = i % 2 === 0 ? `x-chatgpt-timestamp: ${now}` : forgedSig(body);
    add("random header bytes", `${which.trim()} #${i}`, buildRequest({ lines: [JSON_CT, other, Buffer.concat([Buffer.from(which), value])], body }), ANY_HEADER, { httpLevel: true });
  }

  // 4. Duplicated header lines.
  {
    const body = eventBody();
    const valid = signedLines(secret, body, now);
    add("duplicated headers", "timestamp twice (same value), validly signed", buildRequest({ lines: [JSON_CT, valid[0]!, valid[0]!, valid[1]!], body }), MALFORMED);
    add("duplicated headers", "timestamp twice (different values)", buildRequest({ lines: [JSON_CT, valid[0]!, `x-chatgpt-timestamp: ${nowSeconds - 1}`, valid[1]!], body }), MALFORMED);
    add("duplicated headers", "timestamp twice, one empty", buildRequest({ lines: [JSON_CT, valid[0]!, "x-chatgpt-timestamp: ", valid[1]!], body }), MALFORMED);
    add("duplicated headers", "signature twice (both forged)", buildRequest({ lines: [JSON_CT, valid[0]!, forgedSig(body), forgedSig(body, "1")], body }), FORGED);
    add("duplicated headers", "signature on 11 lines (forged)", buildRequest({ lines: [JSON_CT, valid[0]!, ...Array.from({ length: 11 }, () => forgedSig(body))], body }), MALFORMED);
    add("duplicated headers", "signature on 100 lines (forged)", buildRequest({ lines: [JSON_CT, valid[0]!, ...Array.from({ length: 100 }, () => forgedSig(body))], body }), MALFORMED);
    add("duplicated headers", "content-type twice: text/plain first, valid signature", buildRequest({ lines: ["Content-Type: text/plain", JSON_CT, ...valid], body }), MEDIA);
    add("duplicated headers", "content-type twice: json first, forged", buildRequest({ lines: [JSON_CT, "Content-Type: text/plain", valid[0]!, forgedSig(body)], body }), FORGED);
    add("duplicated headers", "content-length twice (same)", buildRequest({ lines: [JSON_CT, `Content-Length: ${body.length}`, valid[0]!, forgedSig(body)], body }), FORGED, { httpLevel: true });
    add("duplicated headers", "content-length twice (different)", buildRequest({ lines: [JSON_CT, `Content-Length: ${body.length + 5}`, valid[0]!, forgedSig(body)], body }), FORGED, { httpLevel: true, halfClose: true });
    add("duplicated headers", "host twice", buildRequest({ lines: ["Host: evil.example", JSON_CT, valid[0]!, forgedSig(body)], body }), FORGED, { httpLevel: true });
    add("duplicated headers", "event id twice, forged", buildRequest({ lines: [JSON_CT, valid[0]!, forgedSig(body), "x-chatgpt-event-id: a", "x-chatgpt-event-id: b"], body }), FORGED);
    add("duplicated headers", "mixed-case duplicates of the timestamp", buildRequest({ lines: [JSON_CT, valid[0]!, `X-ChatGPT-Timestamp: ${now}`, valid[1]!], body }), MALFORMED);
  }

  // 5. Oversized headers (Node's limit is 16 KB in total).
  {
    const body = eventBody();
    const base = [JSON_CT, `x-chatgpt-timestamp: ${now}`, forgedSig(body)];
    add("oversized headers", "one 20 KB junk header", buildRequest({ lines: [...base, `x-junk: ${"j".repeat(20_000)}`], body }), FORGED, { httpLevel: true });
    add("oversized headers", "500 junk headers of 40 bytes", buildRequest({ lines: [...base, ...Array.from({ length: 500 }, (_, i) => `x-junk-${i}: ${"j".repeat(30)}`)], body }), FORGED, { httpLevel: true });
    add("oversized headers", "100 junk headers (under the limit)", buildRequest({ lines: [...base, ...Array.from({ length: 100 }, (_, i) => `x-junk-${i}: j`)], body }), FORGED);
    add("oversized headers", "2500 tiny headers", buildRequest({ lines: [...base, ...Array.from({ length: 2500 }, () => "a: b")], body }), FORGED, { httpLevel: true });
    add("oversized headers", "a 10 KB header name", buildRequest({ lines: [...base, `x-${"n".repeat(10_000)}: v`], body }), FORGED);
    add("oversized headers", "an 8 KB event id header", buildRequest({ lines: [...base, `x-chatgpt-event-id: ${"e".repeat(8000)}`], body }), FORGED);
    add("oversized headers", "a 12 KB content-type", buildRequest({ lines: [`Content-Type: application/json; x=${"p".repeat(12_000)}`, ...base.slice(1)], body }), FORGED);
  }

  // 6. Non-ASCII, control characters and NUL bytes in the head.
  {
    const body = eventBody();
    const ts = `x-chatgpt-timestamp: ${now}`;
    const bytesLine = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
    const headCases: Array<[string, Array<string | Buffer>, readonly string[]]> = [
      ["latin1 byte in a header name", [JSON_CT, bytesLine("x-ch", [0xe4], "tgpt-timestamp: ", now), forgedSig(body)], MISSING],
      ["UTF-8 header name", [JSON_CT, Buffer.from(`x-chätgpt-signature: v1=${hex("a")}`, "utf8"), ts], MISSING],
      ["NUL in the timestamp", [JSON_CT, bytesLine("x-chatgpt-timestamp: 17", [0], "00000000"), forgedSig(body)], MALFORMED],
      ["NUL in the signature", [JSON_CT, ts, bytesLine("x-chatgpt-signature: v1=", [0], hex("a", 63))], MALFORMED],
      ["NUL in a header name", [JSON_CT, bytesLine("x-chatgpt-", [0], "timestamp: ", now), forgedSig(body)], MISSING],
      ["NUL in the content type", [bytesLine("Content-Type: application/json", [0]), ts, forgedSig(body)], MEDIA],
      ["DEL in the signature", [JSON_CT, ts, bytesLine("x-chatgpt-signature: v1=", [0x7f], hex("a", 63))], MALFORMED],
      ["bare CR in a value", [JSON_CT, ts, bytesLine("x-chatgpt-signature: v1=", [13], hex("a", 63))], MALFORMED],
      ["bare LF in a value", [JSON_CT, ts, bytesLine("x-chatgpt-signature: v1=", [10], hex("a", 63))], MALFORMED],
      ["obs-fold continuation line", [JSON_CT, ts, "x-chatgpt-signature: v1=", ` ${hex("a")}`], MALFORMED],
      ["space before the colon", [JSON_CT, `x-chatgpt-timestamp : ${now}`, forgedSig(body)], MISSING],
      ["header line without a colon", [JSON_CT, ts, forgedSig(body), "this line has no colon"], FORGED],
      ["vertical tab in a value", [JSON_CT, ts, bytesLine("x-chatgpt-signature: v1=", [11], hex("a", 63))], MALFORMED],
      ["form feed in a value", [JSON_CT, ts, bytesLine("x-chatgpt-signature: ", [12], "v1=", hex("a"))], MALFORMED],
      ["escape sequence in the event id", [JSON_CT, ts, forgedSig(body), bytesLine("x-chatgpt-event-id: ", [27], "[31mred")], FORGED],
      ["UTF-8 in the event id", [JSON_CT, ts, forgedSig(body), Buffer.from("x-chatgpt-event-id: évènement ✓", "utf8")], FORGED],
      ["0xFF bytes in the event id", [JSON_CT, ts, forgedSig(body), bytesLine("x-chatgpt-event-id: ", [0xff, 0xfe, 0xfd])], FORGED],
    ];
    for (const [name, lines, codes] of headCases) add("control and non-ASCII head bytes", name, buildRequest({ lines, body }), codes, { httpLevel: true });
    add("control and non-ASCII head bytes", "NUL in the request path", buildRequest({ path: "/webhooks/chatgpt\u0000", lines: [JSON_CT, ts, forgedSig(body)], body }), FORGED, { httpLevel: true });
    add("control and non-ASCII head bytes", "UTF-8 in the request line", Buffer.concat([Buffer.from("POST /webhooks/chatgpt?x="), Buffer.from("✓", "utf8"), Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${JSON_CT}\r\nContent-Length: ${body.length}\r\n${ts}\r\n${forgedSig(body)}\r\n\r\n`), body]), FORGED, { httpLevel: true });
  }

  // 7. Bodies that are not valid UTF-8 or JSON events, signed validly (so only the body is wrong), and the same unsigned.
  const invalidUtf8: Array<[string, number[]]> = [
    ["0xFF", [0xff]], ["0xFE 0xFF", [0xfe, 0xff]], ["overlong slash", [0xc0, 0xaf]], ["overlong NUL", [0xc0, 0x80]],
    ["UTF-16 surrogate", [0xed, 0xa0, 0x80]], ["truncated 3-byte", [0xe2, 0x82]], ["lone continuation", [0x80]],
    ["5-byte sequence", [0xf8, 0x88, 0x80, 0x80, 0x80]], ["above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]], ["latin1 e-acute", [0xe9]],
    ["truncated 4-byte", [0xf0, 0x9f, 0x98]], ["0xC1", [0xc1, 0x81]],
  ];
  for (const [name, bytes] of invalidUtf8) {
    for (const where of ["id", "data"] as const) {
      const good = eventBody();
      const marker = where === "id" ? '"id":"evt_' : '"data":{"id":"';
      const at = good.indexOf(marker) + marker.length;
      const body = Buffer.concat([good.subarray(0, at), Buffer.from(bytes), good.subarray(at)]);
      add("invalid UTF-8 bodies", `${name} in ${where}, signed`, buildRequest({ lines: [JSON_CT, ...signedLines(secret, body, now)], body }), INVALID_PAYLOAD);
      add("invalid UTF-8 bodies", `${name} in ${where}, forged`, buildRequest({ lines: [JSON_CT, `x-chatgpt-timestamp: ${now}`, forgedSig(body)], body }), FORGED);
    }
  }
  {
    const event = eventBody().toString("utf8");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(event, "utf16le")]);
    add("invalid UTF-8 bodies", "UTF-16LE with BOM, signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, utf16, now)], body: utf16 }), INVALID_PAYLOAD);
    const utf16be = Buffer.from(event, "utf16le").swap16();
    add("invalid UTF-8 bodies", "UTF-16BE without BOM, signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, utf16be, now)], body: utf16be }), INVALID_PAYLOAD);
    const nulBody = Buffer.from(event.replace('"evt_', '"evt_\u0000'), "utf8");
    add("NUL bytes in bodies", "raw NUL inside the id string, signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, nulBody, now)], body: nulBody }), INVALID_PAYLOAD);
    const leadingNul = Buffer.concat([Buffer.from([0]), Buffer.from(event)]);
    add("NUL bytes in bodies", "NUL before the JSON, signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, leadingNul, now)], body: leadingNul }), INVALID_PAYLOAD);
    const trailingNul = Buffer.concat([Buffer.from(event), Buffer.alloc(64)]);
    add("NUL bytes in bodies", "64 NULs after the JSON, signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, trailingNul, now)], body: trailingNul }), INVALID_PAYLOAD);
    add("NUL bytes in bodies", "64 NULs after the JSON, unsigned", buildRequest({ lines: [JSON_CT], body: trailingNul }), MISSING);
  }
  // Random bytes as bodies, forged.
  for (const [i, bytes] of sample(fc.uint8Array({ maxLength: 2048 }), 60, 3).entries()) {
    const body = Buffer.from(bytes);
    add("random bodies", `random bytes #${i} (${body.length} B), forged`, buildRequest({ lines: [JSON_CT, `x-chatgpt-timestamp: ${now}`, forgedSig(body)], body }), FORGED);
  }
  // Random JSON values, signed validly: none is an object with string id and type, so all are invalid_payload.
  const notAnEvent = fc.jsonValue({ maxDepth: 4 }).filter((value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return true;
    const record = value as Record<string, unknown>;
    return typeof record.id !== "string" || typeof record.type !== "string" || record.id === "" || record.type === "";
  });
  for (const [i, value] of sample(notAnEvent, 60, 4).entries()) {
    const body = Buffer.from(JSON.stringify(value) ?? "null");
    add("random JSON bodies", `random JSON #${i}, signed`, buildRequest({ lines: [JSON_CT, ...signedLines(secret, body, now)], body }), INVALID_PAYLOAD);
  }

  // 8. Event shapes with the wrong types, signed validly: numbers as strings and strings as numbers, and so on.
  const shapes: Array<[string, string]> = [
    ["numeric id", '{"id":123,"type":"response.completed"}'],
    ["numeric type", '{"id":"evt_1","type":7}'],
    ["huge number id", '{"id":1e400,"type":"response.completed"}'],
    ["array id", '{"id":["evt_1"],"type":"response.completed"}'],
    ["object id", '{"id":{"$gt":""},"type":"response.completed"}'],
    ["null id", '{"id":null,"type":"response.completed"}'],
    ["boolean type", '{"id":"evt_1","type":true}'],
    ["empty id", '{"id":"","type":"response.completed"}'],
    ["empty type", '{"id":"evt_1","type":""}'],
    ["257-char id", JSON.stringify({ id: "e".repeat(257), type: "response.completed" })],
    ["id with a lone high surrogate", '{"id":"evt_\\ud800","type":"response.completed"}'],
    ["id with a lone low surrogate", '{"id":"evt_\\udc00","type":"response.completed"}'],
    ["id with reversed surrogates", '{"id":"evt_\\ude00\\ud83d","type":"response.completed"}'],
    ["type with a lone surrogate", '{"id":"evt_1","type":"response.\\ud800"}'],
    ["10 KB type", JSON.stringify({ id: "evt_1", type: "t".repeat(10_000) })],
    ["later numeric id wins", '{"id":"evt_dup","id":5,"type":"response.completed"}'],
    ["id only in data", '{"type":"response.completed","data":{"id":"resp_1"}}'],
    ["top-level string", '"evt_1"'],
    ["top-level number", "1700000000"],
    ["top-level null", "null"],
    ["top-level true", "true"],
    ["top-level array of events", '[{"id":"evt_1","type":"response.completed"}]'],
    ["empty object", "{}"],
    ["empty body", ""],
    ["whitespace only", " \n\t "],
    ["two concatenated events", '{"id":"evt_a","type":"x"}{"id":"evt_b","type":"x"}'],
    ["trailing comma", '{"id":"evt_1","type":"response.completed",}'],
    ["single quotes", "{'id':'evt_1','type':'response.completed'}"],
    ["comment", '{"id":"evt_1",/* c */"type":"response.completed"}'],
    ["NaN value", '{"id":"evt_1","type":"response.completed","n":NaN}'],
    ["unterminated string", '{"id":"evt_1,"type":"response.completed"}'],
    ["JSON with a lone escaped surrogate is fine but no type", '{"id":"\\ud800"}'],
    ["__proto__ holding id and type", '{"__proto__":{"id":"evt_proto","type":"response.completed"}}'],
    ["constructor.prototype holding id and type", '{"constructor":{"prototype":{"id":"evt_ctor","type":"response.completed"}}}'],
    ["__proto__ pollution without id", '{"__proto__":{"polluted":1},"type":"response.completed"}'],
    ["prototype key holding id", '{"prototype":{"id":"evt_p"},"type":"response.completed"}'],
    ["toString id", '{"id":{"toString":"evt"},"type":"response.completed"}'],
  ];
  for (const [name, text] of shapes) {
    const body = Buffer.from(text, "utf8");
    add("wrong event shapes", `${name}, signed`, buildRequest({ lines: [JSON_CT, ...signedLines(secret, body, now)], body }), INVALID_PAYLOAD);
    add("wrong event shapes", `${name}, unsigned`, buildRequest({ lines: [JSON_CT], body }), MISSING);
  }

  // 9. Deeply nested and huge JSON around the body limit.
  const nested: Array<[string, Buffer]> = [
    ["100k [", Buffer.from("[".repeat(100_000))],
    ["100k balanced []", Buffer.from("[".repeat(100_000) + "]".repeat(100_000))],
    ["50k {\"a\": unbalanced", Buffer.from('{"a":'.repeat(50_000))],
    ["20k nested objects without id", Buffer.from('{"a":'.repeat(20_000) + "1" + "}".repeat(20_000))],
    ["array of numbers at the limit", Buffer.from(`[${"1,".repeat(Math.floor((maxBodyBytes - 3) / 2))}1]`)],
    ["object at the limit without id", Buffer.from(`{"type":"x","pad":"${"p".repeat(maxBodyBytes - 22)}"}`)],
    ["20k keys without id", Buffer.from(`{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":0`).join(",")}}`)],
  ];
  for (const [name, body] of nested) {
    if (body.length > maxBodyBytes) throw new Error(`corpus: ${name} is ${body.length} bytes, over the ${maxBodyBytes} limit`);
    add("nested and huge JSON", `${name} (${body.length} B), signed`, buildRequest({ lines: [JSON_CT, ...signedLines(secret, body, now)], body }), INVALID_PAYLOAD);
    add("nested and huge JSON", `${name}, forged`, buildRequest({ lines: [JSON_CT, `x-chatgpt-timestamp: ${now}`, forgedSig(body)], body }), FORGED);
  }
  {
    const atLimit = eventBody({ pad: "" });
    const padded = Buffer.from(atLimit.toString().replace('"pad":""', `"pad":"${"p".repeat(maxBodyBytes - atLimit.length)}"`));
    add("nested and huge JSON", `valid-looking event of exactly the limit (${padded.length} B), forged`, buildRequest({ lines: [JSON_CT, `x-chatgpt-timestamp: ${now}`, forgedSig(padded)], body: padded }), FORGED);
    const over = Buffer.concat([padded, Buffer.from(" ")]);
    add("nested and huge JSON", "limit + 1 byte, validly signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, over, now)], body: over }), TOO_LARGE);
    const tenTimes = Buffer.alloc(maxBodyBytes * 10, 0x20);
    add("nested and huge JSON", "10 x the limit, validly signed", buildRequest({ lines: [JSON_CT, ...signedLines(secret, tenTimes, now)], body: tenTimes }), TOO_LARGE);
    add("nested and huge JSON", "10 x the limit, unsigned, chunked", buildRequest({ lines: [JSON_CT, "Transfer-Encoding: chunked"], body: chunked(tenTimes, 65_536), framing: { kind: "raw" } }), TOO_LARGE);
    add("nested and huge JSON", "Content-Length of 1 GB, 10 bytes sent", buildRequest({ lines: [JSON_CT], body: "0123456789", framing: { kind: "declared", value: String(2 ** 30) } }), TOO_LARGE, { halfClose: true, httpLevel: true });
  }

  // 10. Content types, with validly signed events (so only the media type is wrong).
  const contentTypes: Array<[string | undefined, readonly string[]]> = [
    [undefined, MEDIA], ["", MEDIA], ["text/plain", MEDIA], ["text/json", MEDIA], ["application/x-www-form-urlencoded", MEDIA],
    ["multipart/form-data; boundary=x", MEDIA], ["application/xml", MEDIA], ["application/json; charset=latin1", MEDIA],
    ["application/json; charset=utf-16", MEDIA], ['application/json; charset="iso-8859-1"', MEDIA], ["application/jsonp", MEDIA],
    ["application/json-patch", MEDIA], ["application/json, text/plain", MEDIA], ["*/*", MEDIA], ["application/", MEDIA],
    ["json", MEDIA], ["application/json; charset=utf-8; charset=latin1", MEDIA], ["application/octet-stream", MEDIA],
    ["application/json;charset", MEDIA], ["application/ json", MEDIA],
    ["application/javascript", MEDIA], ["image/png", MEDIA], ["application/json+xml", MEDIA],
  ];
  for (const [type, codes] of contentTypes) {
    const body = eventBody();
    const lines = [...(type === undefined ? [] : [`Content-Type: ${type}`]), ...signedLines(secret, body, now)];
    add("content types", `${JSON.stringify(type ?? null)} with a validly signed event`, buildRequest({ lines, body }), codes);
  }
  for (const type of ["application/json", "APPLICATION/JSON", "application/cloudevents+json", "application/json; charset=UTF-8", "application/vnd.api+json; charset=utf8"]) {
    const body = eventBody();
    add("content types", `${type} with a forged signature`, buildRequest({ lines: [`Content-Type: ${type}`, `x-chatgpt-timestamp: ${now}`, forgedSig(body)], body }), FORGED);
  }

  // 11. Lengths and framing.
  {
    const body = eventBody();
    const signed = [JSON_CT, ...signedLines(secret, body, now)];
    const forged = [JSON_CT, `x-chatgpt-timestamp: ${now}`, forgedSig(body)];
    const framings: Array<[string, Framing, readonly string[], Partial<CorpusCase>]> = [
      // The bytes past the declared length read as a second, malformed request: Node may refuse it
      // (400, closing the connection) before our answer to the first one is written.
      ["Content-Length 10 short (signed body truncated)", { kind: "declared", value: String(body.length - 10) }, FORGED, { httpLevel: true }],
      ["Content-Length 1 (signed body truncated)", { kind: "declared", value: "1" }, FORGED, { httpLevel: true }],
      ["Content-Length 0 (body sent anyway)", { kind: "declared", value: "0" }, FORGED, { httpLevel: true }],
      ["no Content-Length or Transfer-Encoding", { kind: "none" }, FORGED, { httpLevel: true }],
      ["Content-Length 100 more than sent, then close", { kind: "declared", value: String(body.length + 100) }, [], { halfClose: true, httpLevel: true }],
      ["Content-Length 1 more than sent, then close", { kind: "declared", value: String(body.length + 1) }, [], { halfClose: true, httpLevel: true }],
      ["Content-Length abc", { kind: "declared", value: "abc" }, [], { httpLevel: true }],
      ["Content-Length -1", { kind: "declared", value: "-1" }, [], { httpLevel: true }],
      ["Content-Length 1e3", { kind: "declared", value: "1e3" }, [], { httpLevel: true }],
      ["Content-Length 0x10", { kind: "declared", value: "0x10" }, [], { httpLevel: true }],
      ["Content-Length +10", { kind: "declared", value: "+10" }, [], { httpLevel: true }],
      ["Content-Length 10 10", { kind: "declared", value: "10 10" }, [], { httpLevel: true }],
      ["Content-Length 10,10", { kind: "declared", value: "10,10" }, [], { httpLevel: true }],
      ["Content-Length 2^64 + 1", { kind: "declared", value: "18446744073709551617" }, TOO_LARGE, { httpLevel: true, halfClose: true }],
      ["Content-Length empty", { kind: "declared", value: "" }, [], { httpLevel: true }],
    ];
    for (const [name, framing, codes, extra] of framings) {
      add("lengths", `${name} (signed)`, buildRequest({ lines: signed, body, framing }), codes, extra);
      add("lengths", `${name} (forged)`, buildRequest({ lines: forged, body, framing }), codes.length === 0 ? codes : FORGED, extra);
    }
    const raw = { kind: "raw" } as const;
    const te = "Transfer-Encoding: chunked";
    const chunkCases: Array<[string, Array<string>, Buffer, readonly string[], Partial<CorpusCase>]> = [
      ["valid chunks of 1 byte, forged", [...forged, te], chunked(body, 1), FORGED, {}],
      ["valid chunks of 7 bytes, unsigned", [JSON_CT, te], chunked(body, 7), MISSING, {}],
      ["valid chunks, text/plain, signed", ["Content-Type: text/plain", ...signed.slice(1), te], chunked(body, 16), MEDIA, {}],
      ["valid chunks with a trailer, forged", [...forged, te], Buffer.concat([chunked(body, 32, false), Buffer.from("0\r\nx-chatgpt-signature: v1=" + hex("a") + "\r\n\r\n")]), FORGED, {}],
      ["valid chunks with extensions, forged", [...forged, te], Buffer.from(`${body.length.toString(16)};ext=1\r\n${body.toString()}\r\n0\r\n\r\n`), FORGED, {}],
      ["chunk size not hex", [...signed, te], Buffer.from(`zz\r\n${body.toString()}\r\n0\r\n\r\n`), [], { httpLevel: true }],
      ["negative chunk size", [...signed, te], Buffer.from(`-5\r\n${body.toString()}\r\n0\r\n\r\n`), [], { httpLevel: true }],
      ["chunk size overflow", [...signed, te], Buffer.from(`fffffffffffffffffffff\r\n${body.toString()}\r\n0\r\n\r\n`), [], { httpLevel: true }],
      ["chunk longer than announced", [...signed, te], Buffer.from(`5\r\n${body.toString()}\r\n0\r\n\r\n`), [], { httpLevel: true }],
      ["chunk size larger than sent, then close", [...signed, te], Buffer.from(`ffff\r\n${body.toString()}`), [], { httpLevel: true, halfClose: true }],
      ["no terminating chunk, then close", [...signed, te], chunked(body, 16, false), [], { httpLevel: true, halfClose: true }],
      ["missing CRLF after a chunk", [...signed, te], Buffer.from(`${body.length.toString(16)}\r\n${body.toString()}0\r\n\r\n`), [], { httpLevel: true }],
      ["64 KB chunk extension", [...signed, te], Buffer.from(`${body.length.toString(16)};${"x".repeat(65_536)}\r\n${body.toString()}\r\n0\r\n\r\n`), [], { httpLevel: true }],
      ["Content-Length and chunked", [...signed, te, `Content-Length: ${body.length}`], chunked(body, 16), [], { httpLevel: true }],
      ["chunked twice", [...signed, te, te], chunked(body, 16), [], { httpLevel: true }],
      ["Transfer-Encoding gzip, chunked", [...forged, "Transfer-Encoding: gzip, chunked"], chunked(body, 16), FORGED, { httpLevel: true }],
      ["Transfer-Encoding identity", [...signed, "Transfer-Encoding: identity"], body, [], { httpLevel: true, halfClose: true }],
      ["chunked declared, plain body sent", [...signed, te], body, [], { httpLevel: true }],
    ];
    for (const [name, lines, bytes, codes, extra] of chunkCases) add("chunked bodies", name, buildRequest({ lines, body: bytes, framing: raw }), codes, extra);
    add("lengths", "HTTP/1.0 without Content-Length, then close", buildRequest({ version: "HTTP/1.0", lines: forged, body, framing: { kind: "none" } }), FORGED, { httpLevel: true, halfClose: true });
  }

  // 12. Forged variants of every fixture.
  for (const fixture of loadFixtures()) {
    const body = fixture.body;
    const t = nowSeconds;
    const flipped = Buffer.from(body);
    flipped[Math.floor(body.length / 2)] = flipped[Math.floor(body.length / 2)]! ^ 0x01;
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8")), null, 2));
    const other = eventBody();
    const variants: Array<[string, string[], Buffer, readonly string[]]> = [
      ["wrong secret", [`x-chatgpt-timestamp: ${t}`, forgedSig(body, String(t))], body, FORGED],
      ["signed for t+1, sent with t", [`x-chatgpt-timestamp: ${t}`, `x-chatgpt-signature: v1=${signChatgpt(secret, String(t + 1), body)}`], body, FORGED],
      ["one body bit flipped", signedLines(secret, body, String(t)), flipped, FORGED],
      ["trailing newline added", signedLines(secret, body, String(t)), Buffer.concat([body, Buffer.from("\n")]), FORGED],
      ["re-serialized pretty", signedLines(secret, body, String(t)), pretty, FORGED],
      ["signature of another event", signedLines(secret, other, String(t)), body, FORGED],
      ["signature cut by one hex digit", [`x-chatgpt-timestamp: ${t}`, `x-chatgpt-signature: v1=${signChatgpt(secret, String(t), body).slice(1)}`], body, MALFORMED],
      ["stale but correctly signed", signedLines(secret, body, String(t - 3600)), body, ["timestamp_out_of_tolerance"]],
      ["future but correctly signed", signedLines(secret, body, String(t + 3600)), body, ["timestamp_out_of_tolerance"]],
      ["secret with a trailing newline", [`x-chatgpt-timestamp: ${t}`, `x-chatgpt-signature: v1=${signChatgpt(`${secret}\n`, String(t), body)}`], body, FORGED],
      ["secret upper-cased", [`x-chatgpt-timestamp: ${t}`, `x-chatgpt-signature: v1=${signChatgpt(secret.toUpperCase(), String(t), body)}`], body, FORGED],
      ["signed timestamp zero-padded differently", [`x-chatgpt-timestamp: 0${t}`, `x-chatgpt-signature: v1=${signChatgpt(secret, String(t), body)}`], body, FORGED],
    ];
    for (const [name, lines, sent, codes] of variants) add("forged fixtures", `${fixture.file}: ${name}`, buildRequest({ lines: [JSON_CT, ...lines], body: sent }), codes);
  }
  return cases;
}
