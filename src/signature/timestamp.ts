// Timestamp header parsing (whole unix seconds) and the freshness window, both pure.
import { DeliveryRejectedError, ErrorCode } from "../errors.js";

const WHOLE_SECONDS = /^[0-9]{1,15}$/;

/**
 * Parses a unix timestamp in whole seconds.
 * @throws DeliveryRejectedError `malformed_header` for anything but 1 to 15 ASCII digits
 *   (negative, fractional, exponent, signed or padded values are refused).
 */
export function parseTimestamp(value: string, headerName: string): number {
  if (!WHOLE_SECONDS.test(value)) {
    throw new DeliveryRejectedError(
      ErrorCode.MALFORMED_HEADER,
      `${headerName} must be a unix timestamp in whole seconds`,
    );
  }
  return Number(value);
}

/**
 * Checks that `timestampSeconds` lies within `toleranceSeconds` of `nowMs`, in either direction.
 * @throws DeliveryRejectedError `timestamp_out_of_tolerance`
 */
export function assertFresh(timestampSeconds: number, nowMs: number, toleranceSeconds: number): void {
  const nowSeconds = Math.floor(nowMs / 1000);
  const skew = nowSeconds - timestampSeconds;
  if (skew > toleranceSeconds || skew < -toleranceSeconds) {
    const hint = timestampSeconds > 1e12 ? " (it looks like milliseconds; send whole seconds)" : "";
    throw new DeliveryRejectedError(
      ErrorCode.TIMESTAMP_OUT_OF_TOLERANCE,
      `timestamp is ${skew > 0 ? "older" : "newer"} than the ${toleranceSeconds} s tolerance${hint}`,
    );
  }
}
