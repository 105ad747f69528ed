// Whether plain http:// may be used for an endpoint: only on loopback hosts, or when explicitly allowed.
import { ConfigError } from "../errors.js";

/** True for `localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Decides oauth4webapi's `allowInsecureRequests` for `url`: false for https, true for http on a
 * loopback host (local development and tests) or when `explicitlyAllowed`.
 * @throws ConfigError naming `variable` (default `TOKEN_ENDPOINT`) for any other URL.
 */
export function isInsecureAllowed(url: string, explicitlyAllowed: boolean, variable = "TOKEN_ENDPOINT"): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(variable, "is not a valid URL");
  }
  if (parsed.protocol === "https:") return false;
  if (parsed.protocol === "http:" && (explicitlyAllowed || isLoopbackHost(parsed.hostname))) return true;
  throw new ConfigError(variable, "must be an https:// URL (http:// only on a loopback host)");
}
