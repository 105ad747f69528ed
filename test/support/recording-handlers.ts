// A HANDLERS module for multi-process tests: appends each handled event id to $HANDLED_LOG.
import { appendFileSync } from "node:fs";
import type { Receiver } from "../../src/index.js";

export default function register(receiver: Pick<Receiver, "on">): void {
  const log = process.env.HANDLED_LOG;
  if (log === undefined) throw new Error("HANDLED_LOG is not set");
  receiver.on("*", async (event) => {
    await new Promise((resolve) => setTimeout(resolve, 5)); // widen the window for races
    appendFileSync(log, `${event.id}\n`);
  });
}
