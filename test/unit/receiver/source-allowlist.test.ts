// ALLOWED_SOURCE_IPS matching: IPv4, IPv6, CIDR blocks, IPv4-mapped addresses, and entries refused at start.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { parseSourceAllowlist } from "../../../src/receiver/source-allowlist.js";

const VARIABLE = "ALLOWED_SOURCE_IPS";
const allows = (list: string, address: string | undefined) => parseSourceAllowlist(list, VARIABLE).allows(address);

describe("parseSourceAllowlist", () => {
  it("matches single IPv4 addresses exactly", () => {
    expect(allows("203.0.113.7", "203.0.113.7")).toBe(true);
    expect(allows("203.0.113.7", "203.0.113.8")).toBe(false);
  });

  it("matches IPv4 CIDR blocks at their edges", () => {
    const list = "10.0.0.0/8, 192.168.4.0/22";
    expect(allows(list, "10.255.255.255")).toBe(true);
    expect(allows(list, "11.0.0.0")).toBe(false);
    expect(allows(list, "192.168.7.255")).toBe(true);
    expect(allows(list, "192.168.8.0")).toBe(false);
    expect(allows(list, "192.168.3.255")).toBe(false);
  });

  it("matches IPv6 addresses in any spelling and IPv6 CIDR blocks", () => {
    expect(allows("2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001")).toBe(true);
    expect(allows("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(allows("2001:db8::/32", "2001:db9::1")).toBe(false);
    expect(allows("::1", "::1")).toBe(true);
    expect(allows("::1", "127.0.0.1")).toBe(false);
  });

  it("lets an IPv4-mapped IPv6 address (a dual-stack socket's peer) match an IPv4 rule, and a mapped rule an IPv4 address", () => {
    expect(allows("127.0.0.1", "::ffff:127.0.0.1")).toBe(true);
    expect(allows("10.0.0.0/8", "::FFFF:10.1.2.3")).toBe(true);
    expect(allows("10.0.0.0/8", "::ffff:11.1.2.3")).toBe(false);
    expect(allows("::ffff:10.0.0.0/104", "10.9.9.9")).toBe(true);
    expect(allows("::ffff:10.0.0.0/104", "11.9.9.9")).toBe(false);
    expect(allows("::ffff:203.0.113.7", "203.0.113.7")).toBe(true);
  });

  it("never allows an unknown address, an address with a zone, or a non-address", () => {
    expect(allows("0.0.0.0/0, ::/0", undefined)).toBe(false);
    expect(allows("::/0", "fe80::1%eth0")).toBe(false);
    expect(allows("0.0.0.0/0", "localhost")).toBe(false);
    expect(allows("0.0.0.0/0", "")).toBe(false);
  });

  it("keeps the trimmed entries", () => {
    expect(parseSourceAllowlist(" 10.0.0.0/8 ,2001:db8::1 ", VARIABLE).entries).toEqual(["10.0.0.0/8", "2001:db8::1"]);
    expect(parseSourceAllowlist(["203.0.113.7"], VARIABLE).allows("203.0.113.7")).toBe(true);
  });

  it.each([
    ["a host name", "example.com"],
    ["an IPv4 prefix over 32", "10.0.0.0/33"],
    ["an IPv6 prefix over 128", "2001:db8::/129"],
    ["a mapped prefix under 96", "::ffff:10.0.0.0/90"],
    ["a netmask", "10.0.0.0/255.0.0.0"],
    ["a negative prefix", "10.0.0.0/-1"],
    ["two slashes", "10.0.0.0/8/9"],
    ["a zone", "fe80::1%eth0"],
    ["a bad octet", "10.0.0.256"],
    ["an empty entry", "10.0.0.1,,10.0.0.2"],
  ])("refuses %s with one line naming the variable and the entry", (_name, list) => {
    let error: unknown;
    try {
      parseSourceAllowlist(list, VARIABLE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(VARIABLE);
    expect((error as ConfigError).message).not.toContain("\n");
    const bad = list.split(",").find((entry) => entry !== "10.0.0.1" && entry !== "10.0.0.2" && entry !== "");
    if (bad !== undefined) expect((error as ConfigError).message).toContain(`"${bad}"`);
  });
});
