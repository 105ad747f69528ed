// helmet's headers computed once at start and applied per response (running helmet per request is costly).
import helmet from "helmet";
import type { RequestHandler } from "express";

type HeaderPairs = ReadonlyArray<readonly [string, string]>;

/**
 * Runs helmet once against a recording response and returns the headers it sets. The service
 * answers JSON to webhook senders and probes, never HTML to a browser, so helmet sets what the
 * OWASP REST Security Cheat Sheet asks of every API response (with Content-Type and
 * `Cache-Control: no-store`, which `sendJson` writes): a content security policy that forbids
 * everything including framing, HSTS, `X-Content-Type-Options: nosniff` and
 * `X-Frame-Options: DENY`. Its headers that only protect HTML documents are off: each costs
 * header processing on every answer (measured in docs/BENCHMARKS.md) and protects nothing here.
 */
export function computeSecurityHeaders(): HeaderPairs {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: "deny" },
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  let failed: unknown;
  middleware({} as never, recorder as never, (error?: unknown) => {
    failed = error;
  });
  if (failed !== undefined) throw new Error("helmet failed to compute its headers", { cause: failed });
  return [...headers.entries()];
}

/** The precomputed security headers as a flat `[name, value, ...]` list for `writeHead`. */
export const SECURITY_HEADERS: HeaderPairs = computeSecurityHeaders();

/** Express middleware setting the precomputed headers (for routes other than the webhook's). */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    next();
  };
}
