// isJsonContentType: application/json and +json types, UTF-8 or no charset.
import { describe, expect, it } from "vitest";
import { isJsonContentType } from "../../../src/receiver/content-type.js";

describe("isJsonContentType", () => {
  it.each([
    "application/json",
    "APPLICATION/JSON",
    "Application/Json",
    " application/json ",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "application/json; charset=utf8",
    'application/json; charset="utf-8"',
    "application/json; CHARSET=utf-8",
    "application/json; boundary=x",
    "application/json; foo=bar; charset=utf-8",
    "application/cloudevents+json",
    "application/vnd.api+json; charset=utf-8",
    "application/merge-patch+json",
  ])("accepts %j", (value) => {
    expect(isJsonContentType(value)).toBe(true);
  });

  it.each([
    undefined,
    "",
    "text/json",
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
    "application/json+x",
    "application/+json",
    "application/json/extra",
    "xapplication/json",
    "application/json; charset=latin1",
    "application/json; charset=utf-16",
    "application/json; charset=",
    "application/json; charset=utf-8; charset=iso-8859-1",
    "*/*",
  ])("refuses %j", (value) => {
    expect(isJsonContentType(value)).toBe(false);
  });
});
