// `TRUST_PROXY`: which proxies may set the client address (X-Forwarded-For); never "every hop".
import { isIP } from "node:net";
import { ConfigError } from "../errors.js";

/** proxy-addr's named ranges, which Express accepts in a `trust proxy` list. */
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

const EVERY_HOP =
  "trusting every hop lets any client choose its own address (and rate-limit identity) with X-Forwarded-For; " +
  "set the number of proxies in front (1 behind one load balancer) or their addresses / CIDRs";

/** What Express's `trust proxy` gets: a hop count, `false`, or a list of addresses / CIDRs / named ranges. */
export type TrustProxy = number | false | string;

/** Whether one list entry is a named range, an address, or `address/prefix` (or `/netmask`) that is not everything. */
function checkEntry(entry: string, variable: string): void {
  if (NAMED_RANGES.has(entry)) return;
  const [address = "", range, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) throw new ConfigError(variable, `"${entry}" is not an address, a CIDR or one of ${[...NAMED_RANGES].join(", ")}`);
  if (range === undefined) return;
  const max = family === 4 ? 32 : 128;
  const bits = /^\d{1,3}$/.test(range) ? Number(range) : family === 4 && isIP(range) === 4 ? netmaskBits(range) : Number.NaN;
  if (!(bits >= 0 && bits <= max)) throw new ConfigError(variable, `"${entry}" has an invalid prefix length`);
  // Every IPv4 address, or every IPv4-mapped IPv6 address (proxy-addr compares those as IPv4).
  const everything = bits === 0 || (family === 6 && /^::ffff:/i.test(address) && bits <= 96);
  if (everything) throw new ConfigError(variable, `"${entry}" covers every address: ${EVERY_HOP}`);
}

function netmaskBits(mask: string): number {
  const bits = mask
    .split(".")
    .map((part) => Number(part).toString(2).padStart(8, "0"))
    .join("");
  const ones = bits.indexOf("0") === -1 ? 32 : bits.indexOf("0");
  return /^1*0*$/.test(bits) ? ones : Number.NaN;
}

/**
 * Parses a `trust proxy` setting as Express reads it: a hop count, `false`, or a comma-separated
 * list of addresses, CIDRs (`10.0.0.0/8`) and named ranges (`loopback`). `true`, and any range
 * covering every address, are refused: see README.md, "Running several instances".
 * @throws ConfigError naming `variable`
 */
export function parseTrustProxy(raw: string, variable: string): TrustProxy {
  if (raw.toLowerCase() === "true") throw new ConfigError(variable, `"true" is refused: ${EVERY_HOP}`);
  if (raw === "false") return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  for (const entry of raw.split(",")) checkEntry(entry.trim(), variable);
  return raw;
}
