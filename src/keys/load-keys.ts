// One key load: token, authenticated GET, a single retry with a new token after a 401, parsing, metrics.
import type { Clock } from "../clock.js";
import type { HttpFetch } from "../http-client/http-client.js";
import { KeyEndpointError, KeyEndpointErrorCode } from "./errors.js";
import { fetchKeys } from "./fetch-keys.js";
import type { KeyFetchOutcome } from "./metrics.js";
import { parseKeyResponse } from "./parse-key-response.js";
import type { ParsedKeys } from "./parse-key-response.js";
import type { RemoteKeySourceOptions } from "./remote-key-options.js";

/** What a successful load yields. */
export interface LoadedKeys extends ParsedKeys {
  readonly maxAgeSeconds: number | undefined;
}

/** Collaborators of {@link loadKeys}. */
export interface KeyLoaderDeps {
  readonly keyUrl: string;
  readonly tokenProvider: RemoteKeySourceOptions["tokenProvider"];
  readonly fetch: HttpFetch;
  readonly clock: Clock;
  /** Whether `whsec_` secrets are base64 (the standard scheme), for checking served key material. */
  readonly decodesWhsec: boolean;
  readonly timeoutMs: number;
  readonly closed: AbortSignal;
  readonly record: (outcome: KeyFetchOutcome) => void;
}

/**
 * Loads the current keys. A 401 means the token was revoked or expired early: the token is
 * dropped and the request retried once with a new one (README, "Connecting to a real provider").
 * @throws KeyEndpointError with a {@link KeyEndpointErrorCode}.
 */
export async function loadKeys(deps: KeyLoaderDeps): Promise<LoadedKeys> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let token: string;
    try {
      token = await deps.tokenProvider.getToken();
    } catch (error) {
      deps.record("token_error");
      const { code, error: refusal } = error as { code?: unknown; error?: unknown };
      const label = `${typeof code === "string" ? code : "unknown"}${typeof refusal === "string" ? `: ${refusal}` : ""}`;
      throw new KeyEndpointError(KeyEndpointErrorCode.TOKEN_UNAVAILABLE, `no access token for the key endpoint (${label})`, {
        cause: error,
      });
    }
    const signal = AbortSignal.any([deps.closed, AbortSignal.timeout(deps.timeoutMs)]);
    try {
      const result = await fetchKeys(deps.fetch, deps.keyUrl, token, signal);
      if (result.kind === "unauthorized") {
        deps.record("unauthorized");
        deps.tokenProvider.invalidate();
        continue;
      }
      const parsed = parseKeyResponse(result.body, deps.clock.now(), deps.decodesWhsec);
      deps.record("success");
      return { ...parsed, maxAgeSeconds: result.maxAgeSeconds };
    } catch (error) {
      deps.record(outcomeOf(error));
      throw error;
    }
  }
  throw new KeyEndpointError(KeyEndpointErrorCode.UNAUTHORIZED, "key endpoint answered 401 to a fresh token", { status: 401 });
}

function outcomeOf(error: unknown): KeyFetchOutcome {
  const code = error instanceof KeyEndpointError ? error.code : undefined;
  switch (code) {
    case KeyEndpointErrorCode.HTTP_ERROR:
      return "http_error";
    case KeyEndpointErrorCode.TIMEOUT:
      return "timeout";
    case KeyEndpointErrorCode.INVALID_RESPONSE:
      return "invalid_response";
    default:
      return "unreachable";
  }
}
