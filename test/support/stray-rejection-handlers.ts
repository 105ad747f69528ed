// A HANDLERS module with a bug: it leaves a promise rejection unhandled when loaded.
import type { Receiver } from "../../src/index.js";

export default function register(receiver: Pick<Receiver, "on">): void {
  void Promise.resolve().then(() => {
    throw new Error("stray rejection from a handlers module");
  });
  receiver.on("*", () => undefined);
}
