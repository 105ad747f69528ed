// Keeping a service up until SIGTERM / SIGINT, then draining it and flushing logs before exit.
import type { Logger } from "pino";
import type { RunningService } from "../service/start-service.js";

/** Exits the process (0, or 1 if shutdown failed) once a signal stopped the service; a second signal forces exit 1. */
export function runUntilSignal(service: Pick<RunningService, "receiver" | "shutdown">, logger: Logger, after?: () => Promise<void>): Promise<never> {
  return new Promise(() => {
    const stop = (signal: NodeJS.Signals): void => {
      process.removeListener("SIGTERM", stop);
      process.removeListener("SIGINT", stop);
      process.once(signal, () => process.exit(1));
      logger.info({ signal, in_flight: service.receiver.inFlight() }, "shutting down: draining deliveries");
      service
        .shutdown()
        .then(() => after?.())
        .then(
          () => {
            logger.info("stopped");
            logger.flush(() => process.exit(0));
          },
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            logger.flush(() => process.exit(1));
          },
        );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
