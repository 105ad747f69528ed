// `ALLOWED_SOURCE_IPS`: the addresses and CIDR blocks allowed to deliver, matched with node:net's BlockList.
import { BlockList, isIP } from "node:net";
import { ConfigError } from "../errors.js";

/** Whether a client address may deliver (README, "Source allowlist"). */
export interface SourceAllowlist {
  /** The entries as given (trimmed), for logs and docs. */
  readonly entries: readonly string[];
  /** `true` when `address` is in the list; an unknown address (`undefined`) never is. */
  allows(address: string | undefined): boolean;
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack socket reports) as its IPv4 address. */
function unmapped(address: string): string {
  return MAPPED_IPV4.exec(address)?.[1] ?? address;
}

function family(address: string): "ipv4" | "ipv6" | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

/**
 * Adds one entry (an address, or `address/prefix`) to `list`.
 * @throws ConfigError naming `variable` and the entry
 */
function addEntry(list: BlockList, entry: string, variable: string): void {
  const bad = (why: string) => new ConfigError(variable, `"${entry}" ${why} (addresses and CIDR blocks, e.g. 203.0.113.0/24, 2001:db8::/32)`);
  const [rawAddress = "", prefix, ...rest] = entry.split("/");
  // A zone (`fe80::1%eth0`) names an interface of this host, not a client.
  const type = rest.length === 0 && !rawAddress.includes("%") ? family(rawAddress) : undefined;
  if (type === undefined) throw bad("is not an IPv4 or IPv6 address or CIDR block");
  // A mapped rule is the IPv4 rule it stands for: `::ffff:10.0.0.0/104` is 10.0.0.0/8.
  const address = unmapped(rawAddress);
  const mapped = address !== rawAddress;
  if (prefix === undefined) return void list.addAddress(address, mapped ? "ipv4" : type);
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) - (mapped ? 96 : 0) : Number.NaN;
  const max = type === "ipv4" || mapped ? 32 : 128;
  if (!(bits >= 0 && bits <= max)) throw bad("has an invalid prefix length");
  list.addSubnet(address, bits, mapped ? "ipv4" : type);
}

/**
 * Parses a comma-separated list of IPv4 / IPv6 addresses and CIDR blocks. IPv4-mapped IPv6
 * addresses match IPv4 rules (and mapped rules match IPv4 addresses).
 * @throws ConfigError naming `variable` and the first bad entry (an empty one included)
 */
export function parseSourceAllowlist(raw: string | readonly string[], variable: string): SourceAllowlist {
  const entries = (typeof raw === "string" ? raw.split(",") : raw).map((entry) => entry.trim());
  if (entries.length === 0) throw new ConfigError(variable, "lists no address (leave it unset to allow every source)");
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === "") throw new ConfigError(variable, "has an empty entry (addresses and CIDR blocks, comma-separated)");
    addEntry(list, entry, variable);
  }
  return {
    entries,
    allows(address) {
      if (address === undefined) return false;
      const plain = unmapped(address);
      const type = plain.includes("%") ? undefined : family(plain);
      return type !== undefined && list.check(plain, type);
    },
  };
}
