// The key fetch of a remote-keys config with its client-auth files re-read as the service does
// (key source + secret-file reloader), on an injected clock and logger.
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Clock } from "../../src/clock.js";
import type { ServiceConfig } from "../../src/config/env.js";
import { createServiceKeySource } from "../../src/service/create-key-source.js";
import { startSecretFileReloader } from "../../src/service/secret-file-reloader.js";

/** The key source and its reloader; `close()` stops both. */
export function startReloadingKeySource(config: ServiceConfig, options: { logger: Logger; registry: Registry; clock: Clock }) {
  if (config.keys.kind !== "remote") throw new Error("expected remote keys");
  const { logger, registry, clock } = options;
  const keySource = createServiceKeySource(config.keys, { logger, registry, clock, scheme: "chatgpt" });
  const reloader = startSecretFileReloader({
    clientAuth: { source: config.keys.authSource, fileHashes: config.keys.fileHashes, tokens: keySource.tokens },
    logger,
    registry,
  });
  return {
    keySource,
    async close() {
      reloader?.close();
      await keySource.close();
    },
  };
}
