// The resource-server side of the dev provider: checking a bearer access token with jose.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";

/** What a valid token must carry. */
export interface BearerRequirements {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly audience: string;
  /** A scope the token's `scope` claim must include. */
  readonly scope: string;
}

/**
 * Returns a checker of `Authorization` header values: the bearer token when it is an `at+jwt`
 * signed by the issuer, for `audience`, with `scope`; otherwise `undefined`.
 */
export function createBearerVerifier(requirements: BearerRequirements): (authorization: string | undefined) => Promise<string | undefined> {
  const keys = createLocalJWKSet(requirements.jwks);
  return async (authorization) => {
    const token = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: requirements.issuer,
        audience: requirements.audience,
        typ: "at+jwt",
      });
      const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
      return scopes.includes(requirements.scope) ? token : undefined;
    } catch {
      return undefined;
    }
  };
}
