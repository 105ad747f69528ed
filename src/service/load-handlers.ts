// Loading the user's HANDLERS module: its default export registers handlers on the receiver.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import type { Receiver } from "../http/express-receiver.js";

/** What a handlers module exports by default. */
export type RegisterHandlers = (receiver: Pick<Receiver, "on">) => void | Promise<void>;

/**
 * Imports `modulePath` (relative to the working directory) and calls its default export.
 * @throws ConfigError `HANDLERS` when the module cannot be loaded or exports no function
 */
export async function loadHandlers(modulePath: string, receiver: Pick<Receiver, "on">): Promise<void> {
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError("HANDLERS", `cannot load ${modulePath}: ${reason}`);
  }
  if (typeof loaded.default !== "function") {
    throw new ConfigError("HANDLERS", `${modulePath} must export default a function (receiver) => { receiver.on(...) }`);
  }
  await (loaded.default as RegisterHandlers)(receiver);
}
