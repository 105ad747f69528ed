// Building the service's forward handler from FORWARD_*: its own token provider (forward scopes, audience) and connection pool.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Clock } from "../clock.js";
import type { ForwardConfig } from "../config/forward-env.js";
import { createForwarder, type Forwarder } from "../forward/create-forwarder.js";
import { createTokenProvider } from "../oauth/index.js";

/** Shared wiring of the forward handler. */
export interface ForwarderDependencies {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly clock?: Clock | undefined;
}

/**
 * Creates the forward handler of README, "Forwarding to an internal service", over a second
 * client-credentials token provider (token metrics labelled `client="forward"`). Closing it
 * closes both.
 * @throws ConfigError for an insecure token endpoint or an unusable private key
 */
export function createServiceForwarder(config: ForwardConfig, deps: ForwarderDependencies): Forwarder {
  const tokens = createTokenProvider({
    tokenEndpoint: config.tokenEndpoint,
    clientId: config.clientId,
    scopes: config.scopes,
    audience: config.audience,
    auth: config.auth,
    logger: deps.logger.child({ component: "forward" }),
    registry: deps.registry,
    metricsClient: "forward",
    clock: deps.clock,
  });
  const forwarder = createForwarder({
    url: config.url,
    types: config.types,
    tokens,
    signingSecret: config.signingSecret,
    timeoutMs: config.timeoutMs,
    logger: deps.logger,
    registry: deps.registry,
    clock: deps.clock,
  });
  return {
    ...forwarder,
    close: async () => {
      await forwarder.close();
      await tokens.close();
    },
  };
}
