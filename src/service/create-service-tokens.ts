// The service's client-credentials token providers (the key fetch's, the forward's) from their token settings.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Clock } from "../clock.js";
import { createTokenProvider, type ClientAuthOptions, type TokenProvider } from "../oauth/index.js";

/** The token settings a service config holds for one client. */
export interface TokenClientConfig {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly audience: string | undefined;
  readonly auth: ClientAuthOptions;
}

/** Shared wiring of a token provider. */
export interface TokenClientDependencies {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly clock?: Clock | undefined;
}

/** A token provider for `config`; its token metrics carry `client="<client>"`. */
export function createServiceTokens(config: TokenClientConfig, deps: TokenClientDependencies, client: "keys" | "forward"): TokenProvider {
  return createTokenProvider({
    tokenEndpoint: config.tokenEndpoint,
    clientId: config.clientId,
    scopes: config.scopes,
    audience: config.audience,
    auth: config.auth,
    logger: deps.logger,
    registry: deps.registry,
    metricsClient: client,
    clock: deps.clock,
  });
}
