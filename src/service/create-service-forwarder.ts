// Building the service's forward handler from FORWARD_*: its own token provider (forward scopes, audience) and connection pool.
import type { ForwardConfig } from "../config/forward-env.js";
import { createForwarder, type Forwarder } from "../forward/create-forwarder.js";
import { createServiceTokens, type TokenClientDependencies } from "./create-service-tokens.js";

/** Shared wiring of the forward handler. */
export type ForwarderDependencies = TokenClientDependencies;

/**
 * Creates the forward handler of README, "Forwarding to an internal service", over a second
 * client-credentials token provider (token metrics labelled `client="forward"`). Closing it
 * closes both.
 * @throws ConfigError for an insecure token endpoint or an unusable private key
 */
export function createServiceForwarder(config: ForwardConfig, deps: ForwarderDependencies): Forwarder {
  const tokens = createServiceTokens(config, { ...deps, logger: deps.logger.child({ component: "forward" }) }, "forward");
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
