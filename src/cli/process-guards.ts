// Last-resort guards of the long-running commands: a stray promise rejection is logged, not fatal.
import type { Logger } from "pino";

/**
 * Logs unhandled rejections at error level instead of letting Node exit: one forgotten promise
 * deep in a dependency must not drop every in-flight delivery. (They are bugs: fix what is logged.)
 */
export function installProcessGuards(logger: Logger): void {
  process.on("unhandledRejection", (reason: unknown) => {
    logger.error({ err: reason }, "unhandled promise rejection (a bug); the service keeps running");
  });
}
