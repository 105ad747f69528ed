// The seam between the verifier and wherever verification keys come from (static env or a provider).

/** One verification secret, as configured or as served by the provider's key endpoint. */
export interface VerificationKey {
  /** The provider's key id, when it names one (used in logs, never the secret). */
  readonly id?: string;
  /** The secret: `whsec_<base64>` or plain text (README, "Signature schemes"). */
  readonly secret: string;
}

/** Whether a key source can serve keys now, and if not, why. */
export interface KeySourceReadiness {
  readonly ready: boolean;
  readonly reason?: string;
}

/**
 * Where the receiver gets its candidate keys.
 *
 * `getKeys` returns synchronously when keys are cached (the hot path), or a promise when it
 * must load them. It throws a {@link DeliveryFailedError} with code
 * `verification_key_unavailable` (and `retryAfterSeconds`) when no key can be had.
 */
export interface KeySource {
  getKeys(): readonly VerificationKey[] | Promise<readonly VerificationKey[]>;
  /**
   * Called when a signature matched none of the current keys: the source may reload once
   * (single-flight, rate-limited) and returns the new keys (`undefined`: nothing newer exists).
   * It throws a {@link DeliveryFailedError} `verification_key_unavailable` with
   * `retryAfterSeconds` when it could not reload (throttled, or the provider failed): the
   * sender is then told to retry, never that its signature is invalid, so a forgery that
   * spent the refresh cannot get the real sender's deliveries refused after a rotation.
   */
  refreshAfterMismatch?(): Promise<readonly VerificationKey[] | undefined>;
  /** Readiness for `/readyz`. */
  readiness(): KeySourceReadiness;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}
