// A HANDLERS module for shutdown tests: each event's handler runs until the process gets
// $SLOW_HANDLER_UNTIL (a signal name, e.g. SIGUSR2: the test decides when it ends), or never
// when that is "never"; otherwise it takes $SLOW_HANDLER_MS.
import { once } from "node:events";
import type { Receiver } from "../../src/index.js";

export default function register(receiver: Pick<Receiver, "on">): void {
  const ms = Number(process.env.SLOW_HANDLER_MS ?? "500");
  const until = process.env.SLOW_HANDLER_UNTIL;
  // Listen from the start, so the signal never finds the process without a handler for it.
  const released = until === undefined || until === "never" ? undefined : once(process, until);
  receiver.on("*", async (_event, context) => {
    context.logger.info("slow handler started");
    if (until === "never") await new Promise(() => undefined);
    else if (released !== undefined) await released;
    else await new Promise((resolve) => setTimeout(resolve, ms));
  });
}
