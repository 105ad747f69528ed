// CPU pinning with taskset: the server on core 0, the load generator on core 1, when both exist.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

/** The core of server processes. */
export const SERVER_CORE = 0;
/** The core of the load generator (this process). */
export const LOAD_CORE = 1;

let available: boolean | undefined;

/** Whether `taskset` runs here and there are at least two cores to split. */
export function canPin(): boolean {
  available ??= availableParallelism() >= 2 && spawnSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" }).status === 0;
  return available;
}

/** The command line that runs `command args` pinned to `core` (unchanged when pinning is unavailable). */
export function pinned(core: number, command: string, args: readonly string[]): { command: string; args: string[] } {
  return canPin() ? { command: "taskset", args: ["-c", String(core), command, ...args] } : { command, args: [...args] };
}

/** Pins every thread of this process to `core`; returns whether it worked. */
export function pinSelf(core: number): boolean {
  if (!canPin()) return false;
  return spawnSync("taskset", ["-a", "-p", "-c", String(core), String(process.pid)], { stdio: "ignore" }).status === 0;
}
