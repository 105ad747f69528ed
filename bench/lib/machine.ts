// A description of the machine and checkout a run was recorded on.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, release, totalmem } from "node:os";
import { canPin } from "./pinning.js";
import { REPO_ROOT } from "./paths.js";

/** What the recorded numbers depend on. */
export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly kernel: string;
  readonly node: string;
  readonly pinned: boolean;
  readonly commit: string;
  readonly date: string;
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

function commit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: REPO_ROOT, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} (src/ has uncommitted changes)` : head;
  } catch {
    return "unknown";
  }
}

/** Reads the machine description. */
export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
    pinned: canPin(),
    commit: commit(),
    date: new Date().toISOString(),
  };
}

/** One markdown line. */
export function formatMachine(info: MachineInfo): string {
  return (
    `${info.cores} cores (${info.cpuModel}), ${info.memoryGb} GB, Linux ${info.kernel}, Node ${info.node}, ` +
    `${info.pinned ? "taskset: server on core 0, load generator on core 1" : "no CPU pinning"}, commit ${info.commit}, ${info.date}`
  );
}
