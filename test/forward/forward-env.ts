// The service environment of the forwarding tests: FORWARD_* against the test's oidc-provider and internal service.
import { BASIC_SECRET } from "../oauth/fixtures.js";
import type { AuthServer } from "../support/auth-server.js";
import { INTERNAL_RESOURCE, INTERNAL_SCOPE, type InternalService } from "./internal-service.js";

/** The Standard Webhooks secret the forwarded requests are signed with. */
export const FORWARD_SECRET = `whsec_${Buffer.from("forward-signing-key-0123456789ab").toString("base64")}`;

/** The service's forwarding environment against `as` and `internal`. */
export function forwardEnv(auth: AuthServer, target: InternalService, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FORWARD_URL: target.url,
    TOKEN_ENDPOINT: auth.tokenEndpoint,
    CLIENT_ID: "basic-client",
    CLIENT_SECRET: BASIC_SECRET,
    FORWARD_TOKEN_SCOPES: INTERNAL_SCOPE,
    FORWARD_TOKEN_AUDIENCE: INTERNAL_RESOURCE,
    FORWARD_SIGNING_SECRET: FORWARD_SECRET,
    ...extra,
  };
}

