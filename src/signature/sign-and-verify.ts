// The public one-call `sign` and `verify` functions for library users (not the service's hot path).
import { systemClock, type Clock } from "../clock.js";
import type { HeaderInput } from "./headers.js";
import { prepareKey } from "./hmac-key.js";
import type { SchemeName, SignInput } from "./scheme.js";
import { schemes } from "./schemes.js";
import { verifyDelivery, type VerifiedSignature } from "./verify-delivery.js";

/** Options of {@link verify}. */
export interface VerifyOptions {
  /** The exact bytes received (a string is taken as its UTF-8 bytes). */
  readonly body: string | Uint8Array;
  readonly headers: HeaderInput;
  /** One secret or several (all are tried, for rotation). */
  readonly secret: string | readonly string[];
  /** Freshness window in seconds, both directions. Defaults to 300. */
  readonly toleranceSeconds?: number;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * Verifies a delivery signed in `scheme`, with no I/O.
 * @throws DeliveryRejectedError with code `missing_header`, `malformed_header`,
 *   `timestamp_out_of_tolerance` or `invalid_signature`
 * @throws ConfigError (`secret`) for a 0-byte secret (`""`, `"whsec_"` in the standard scheme)
 */
export function verify(scheme: SchemeName, options: VerifyOptions): VerifiedSignature {
  const definition = schemes[scheme];
  const secrets = typeof options.secret === "string" ? [options.secret] : options.secret;
  return verifyDelivery({
    scheme: definition,
    headers: options.headers,
    body: typeof options.body === "string" ? Buffer.from(options.body) : options.body,
    keys: secrets.map((secret) => prepareKey(secret, definition.decodesWhsec)),
    nowMs: (options.clock ?? systemClock).now(),
    toleranceSeconds: options.toleranceSeconds ?? 300,
  });
}

/**
 * Computes the signature headers of `input.body` in `scheme`.
 * @throws ConfigError (`secret`) for a 0-byte secret, (`timestamp`) for a timestamp that is not
 *   a whole non-negative number of seconds
 */
export function sign(scheme: SchemeName, input: SignInput): Record<string, string> {
  return schemes[scheme].sign(input);
}
