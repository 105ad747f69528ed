// A service process (as `serve` runs it) that SIGKILLs itself right after the queue-mode enqueue step named by FAULT_AT.
import { loadServiceConfig } from "../../src/config/env.js";
import { createLogger } from "../../src/observability/logger.js";
import { startService } from "../../src/service/start-service.js";

const config = loadServiceConfig(process.env);
const logger = createLogger({ level: config.logLevel });
const service = await startService(config, logger, {
  afterEnqueueStep: (step) => {
    if (step === process.env.FAULT_AT) process.kill(process.pid, "SIGKILL");
  },
});
logger.info({ url: `${service.url}${config.path}` }, "receiver listening");
