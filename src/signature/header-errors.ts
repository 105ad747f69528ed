// Shared header checks of both schemes: presence and the entry bound.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";
import { MAX_SIGNATURE_ENTRIES } from "./scheme.js";
import { getHeader, type HeaderInput } from "./headers.js";

/**
 * The header's value.
 * @throws DeliveryRejectedError `missing_header` when absent or empty
 */
export function requireHeader(headers: HeaderInput, name: string): string {
  const value = getHeader(headers, name);
  if (value === undefined || value.length === 0) {
    throw new DeliveryRejectedError(ErrorCode.MISSING_HEADER, `${name} header is required`);
  }
  return value;
}

/** The error for a signature header with more than {@link MAX_SIGNATURE_ENTRIES} entries. */
export function tooManyEntries(name: string): DeliveryRejectedError {
  return new DeliveryRejectedError(
    ErrorCode.MALFORMED_HEADER,
    `${name} has more than ${MAX_SIGNATURE_ENTRIES} entries`,
  );
}
