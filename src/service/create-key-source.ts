// Building the service's remote key source: token provider + key endpoint client, closed together.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Clock } from "../clock.js";
import type { RemoteKeyConfig } from "../config/remote-env.js";
import type { SchemeName } from "../signature/scheme.js";
import { createRemoteKeySource, type RemoteKeySource } from "../keys/remote-key-source.js";
import type { TokenProvider } from "../oauth/index.js";
import { createServiceTokens } from "./create-service-tokens.js";

/** Shared wiring of the remote flow. */
export interface RemoteKeyDependencies {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly clock?: Clock;
  /** The scheme the keys verify (decides how served `whsec_` secrets are checked). */
  readonly scheme: SchemeName;
}

/**
 * Creates the `remote` key source of README, "Connecting to a real provider" over a client-credentials token
 * provider (section 4). Closing the source also closes the token provider.
 * @throws ConfigError for an insecure endpoint URL or an unusable private key
 */
export function createServiceKeySource(config: RemoteKeyConfig, deps: RemoteKeyDependencies): RemoteKeySource & { readonly tokens: TokenProvider } {
  const tokens = createServiceTokens(config, deps, "keys");
  const source = createRemoteKeySource({
    keyUrl: config.keyUrl,
    tokenProvider: tokens,
    scheme: deps.scheme,
    cacheSeconds: config.cacheSeconds,
    staleSeconds: config.staleSeconds,
    refreshMinSeconds: config.refreshMinSeconds,
    logger: deps.logger,
    registry: deps.registry,
    clock: deps.clock,
  });
  return {
    ...source,
    tokens,
    getKeys: () => source.getKeys(),
    refreshAfterMismatch: () => source.refreshAfterMismatch(),
    readiness: () => source.readiness(),
    warmUp: () => source.warmUp(),
    close: async () => {
      await source.close();
      await tokens.close();
    },
  };
}
