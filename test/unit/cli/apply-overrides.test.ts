// `trigger --set path=value`: dotted paths, values read as JSON when they parse, usage errors otherwise.
import { describe, expect, it } from "vitest";
import { applyOverrides, parseOverrideValue } from "../../../src/cli/trigger/apply-overrides.js";
import { UsageError } from "../../../src/cli/usage-error.js";

const event = (): Record<string, unknown> => ({
  id: "evt_1",
  object: "event",
  created_at: 1,
  type: "realtime.call.incoming",
  data: { call_id: "rtc_1", sip_headers: [{ name: "From", value: "a" }] },
});

function usageError(flags: string[]): UsageError {
  try {
    applyOverrides(event(), flags);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`no UsageError for ${flags.join(" ")}`);
}

describe("parseOverrideValue", () => {
  it.each([
    ["resp_123", "resp_123"],
    ["3", 3],
    ["-1.5", -1.5],
    ["true", true],
    ["null", null],
    ['"123"', "123"],
    ['{"a":[1]}', { a: [1] }],
    ["", ""],
    ["hello world", "hello world"],
  ])("%j -> %j", (raw, value) => {
    expect(parseOverrideValue(raw)).toEqual(value);
  });
});

describe("applyOverrides", () => {
  it("sets fields by dotted path, in order, creating missing objects", () => {
    const result = applyOverrides(event(), ["data.call_id=rtc_9", "data.count=3", "metadata.note.text=hi=there", "data.call_id=rtc_10"]);
    expect(result).toMatchObject({ data: { call_id: "rtc_10", count: 3 }, metadata: { note: { text: "hi=there" } } });
  });

  it("indexes lists up to their length (the length appends)", () => {
    const result = applyOverrides(event(), ["data.sip_headers.0.value=b", 'data.sip_headers.1={"name":"To","value":"c"}']);
    expect((result.data as { sip_headers: unknown[] }).sip_headers).toEqual([
      { name: "From", value: "b" },
      { name: "To", value: "c" },
    ]);
  });

  it("may replace the id and the type with other strings", () => {
    expect(applyOverrides(event(), ["id=evt_mine", "type=custom.type"])).toMatchObject({ id: "evt_mine", type: "custom.type" });
  });

  it.each([
    [["data.id"], "data.id"],
    [["=x"], "=x"],
    [["data..id=x"], "data..id"],
    [[".id=x"], ".id"],
    [["data.=x"], "data."],
    [["__proto__.polluted=1"], "__proto__"],
    [["data.constructor.prototype.x=1"], "constructor"],
    [["data.call_id.x=1"], "data.call_id"],
    [["data.sip_headers.5.value=x"], '"5"'],
    [["data.sip_headers.first=x"], '"first"'],
    [["id=3"], '"id"'],
    [["type="], '"type"'],
  ])("refuses %j, naming %s", (flags, named) => {
    expect(usageError(flags).message).toContain(named);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
