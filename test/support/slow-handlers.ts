// A HANDLERS module for shutdown tests: each event takes $SLOW_HANDLER_MS to handle.
import type { Receiver } from "../../src/index.js";

export default function register(receiver: Pick<Receiver, "on">): void {
  const ms = Number(process.env.SLOW_HANDLER_MS ?? "500");
  receiver.on("*", async (_event, context) => {
    context.logger.info("slow handler started");
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}
