// One client-credentials grant request (RFC 6749 section 4.4) and its response, mapped to TokenError.
import * as oauth from "oauth4webapi";
import { parseRetryAfterMs } from "../backoff.js";
import { TokenError, TokenErrorCode, sanitizeCause } from "./errors.js";
import type { HttpFetch } from "../http-client/http-client.js";
import { boundedResponse, ResponseTooLargeError } from "../http-client/read-bounded.js";

/** Token answers larger than this are refused unread (a token response is a few KB at most). */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** Everything one grant request needs. */
export interface TokenRequestContext {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly audience: string | undefined;
  readonly clientAuth: oauth.ClientAuth;
  readonly fetch: HttpFetch;
  /** Permit http:// (loopback or explicitly allowed only). */
  readonly allowInsecure: boolean;
}

/** A granted token (the value itself must never be logged). */
export interface GrantedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number | undefined;
  /** Granted scopes; `undefined` when the response had none (RFC 6749 5.1: same as requested). */
  readonly scope: readonly string[] | undefined;
}

/**
 * Sends one grant request and processes the answer with oauth4webapi.
 * @throws TokenError: retryable `token_request_failed` (network, 5xx, 429, with `retryAfterMs`)
 * or `token_request_timeout`; non-retryable with the server's RFC 6749 `error` code
 * (`invalid_client`, `invalid_scope` ...) or `invalid_token_response` (also for an answer over
 * {@link MAX_TOKEN_RESPONSE_BYTES}, which is not read further).
 */
export async function requestToken(ctx: TokenRequestContext, signal: AbortSignal, nowMs: number): Promise<GrantedToken> {
  const as: oauth.AuthorizationServer = { issuer: new URL(ctx.tokenEndpoint).origin, token_endpoint: ctx.tokenEndpoint };
  const client: oauth.Client = { client_id: ctx.clientId };
  const parameters = new URLSearchParams();
  if (ctx.scopes.length > 0) parameters.set("scope", ctx.scopes.join(" "));
  if (ctx.audience) parameters.set("resource", ctx.audience);
  let response: Response;
  try {
    response = await oauth.clientCredentialsGrantRequest(as, client, ctx.clientAuth, parameters, {
      signal,
      [oauth.customFetch]: ctx.fetch,
      [oauth.allowInsecureRequests]: ctx.allowInsecure,
    });
  } catch (error) {
    throw transportError(error, signal);
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel().catch(() => undefined);
    throw new TokenError(TokenErrorCode.TOKEN_REQUEST_FAILED, `token endpoint answered HTTP ${response.status}`, {
      status: response.status,
      retryable: true,
      retryAfterMs: parseRetryAfterMs(response.headers.get("retry-after"), nowMs),
    });
  }
  try {
    response = await boundedResponse(response, MAX_TOKEN_RESPONSE_BYTES);
  } catch (error) {
    throw bodyReadError(error, response.status, signal);
  }
  try {
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    if (result.token_type !== "bearer") {
      throw new TokenError(TokenErrorCode.INVALID_TOKEN_RESPONSE, `unsupported token_type "${result.token_type}"`);
    }
    return {
      accessToken: result.access_token,
      expiresInSeconds: result.expires_in,
      scope: result.scope === undefined ? undefined : result.scope.split(" ").filter(Boolean),
    };
  } catch (error) {
    throw await responseError(error, response.status, signal);
  }
}

/** Maps oauth4webapi's errors (whose `cause` may hold the response body) onto clean TokenErrors. */
async function responseError(error: unknown, status: number, signal: AbortSignal): Promise<TokenError> {
  if (error instanceof TokenError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return rejected(error.error, error.status);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const code = error.cause.find((c) => c.parameters.error)?.parameters.error ?? (await bodyErrorCode(error.response));
    return rejected(code, error.status);
  }
  if (signal.aborted) return transportError(error, signal);
  return new TokenError(TokenErrorCode.INVALID_TOKEN_RESPONSE, `token endpoint answered HTTP ${status} without a valid token response`, {
    status,
  });
}

/** The server's refusal, with its RFC 6749 `error` value kept apart from our code. */
function rejected(error: string, status: number): TokenError {
  return new TokenError(TokenErrorCode.TOKEN_REQUEST_REJECTED, `token endpoint rejected the request: ${error}`, { status, error });
}

async function bodyErrorCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string" && /^[\x20-\x7e]{1,64}$/.test(body.error)) return body.error;
  } catch {
    // not JSON: fall through
  }
  return "invalid_client";
}

/** A failed read of the answer: too large (not retryable), or cut off / timed out (retryable). */
function bodyReadError(error: unknown, status: number, signal: AbortSignal): TokenError {
  if (error instanceof ResponseTooLargeError) {
    return new TokenError(TokenErrorCode.INVALID_TOKEN_RESPONSE, `token endpoint response exceeds ${MAX_TOKEN_RESPONSE_BYTES} bytes`, { status });
  }
  if (signal.aborted) return transportError(error, signal);
  return new TokenError(TokenErrorCode.TOKEN_REQUEST_FAILED, "token endpoint response could not be read", {
    status,
    retryable: true,
    cause: sanitizeCause(error),
  });
}

function transportError(error: unknown, signal: AbortSignal): TokenError {
  if (signal.aborted) {
    return new TokenError(TokenErrorCode.TOKEN_REQUEST_TIMEOUT, "token request timed out", { retryable: true });
  }
  // undici reports every transport failure as `TypeError("fetch failed", { cause })`; anything
  // else thrown here is a local problem (bad key, refused http URL) that a retry cannot fix.
  const network = error instanceof TypeError && error.message === "fetch failed";
  return new TokenError(TokenErrorCode.TOKEN_REQUEST_FAILED, network ? "token endpoint unreachable" : "token request could not be sent", {
    retryable: network,
    cause: sanitizeCause(error),
  });
}
