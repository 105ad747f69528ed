// Starting a server under test as its own process (pinned to the server core), waiting for it, stopping it.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { openSync, closeSync } from "node:fs";
import { pinned, SERVER_CORE } from "./pinning.js";

/** How to start one server process. */
export interface ServerSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where the server's stdout goes (its log lines). */
  readonly logFile: string;
  /** Polled with GET until it answers 200. */
  readonly readyUrl: string;
  /** Defaults to 30 s. */
  readonly readyTimeoutMs?: number;
  /** Pause between readiness polls. Defaults to 100 ms. */
  readonly pollMs?: number;
}

/** A running server process. */
export interface ServerProcess {
  readonly pid: number;
  readonly logFile: string;
  /** The last stderr output (startup errors). */
  stderr(): string;
  /** Whether it has exited. */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** The process exited before it was ready; `stderr` says why. */
export class ServerStartError extends Error {
  constructor(
    readonly serverName: string,
    readonly stderrText: string,
    detail: string,
  ) {
    super(`${serverName} did not start: ${detail}${stderrText.trim() === "" ? "" : `: ${stderrText.trim().split("\n").slice(-3).join(" | ")}`}`);
    this.name = "ServerStartError";
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Starts the server and resolves once `readyUrl` answers 200; rejects with {@link ServerStartError}. */
export async function startServerProcess(spec: ServerSpec): Promise<ServerProcess> {
  const { command, args } = pinned(SERVER_CORE, spec.command, spec.args);
  const logFd = openSync(spec.logFile, "w");
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd: spec.cwd, env: spec.env, stdio: ["ignore", logFd, "pipe"] });
  } finally {
    closeSync(logFd);
  }
  let stderrText = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderrText = (stderrText + chunk).slice(-8_000);
  });
  let hasExited = false;
  const exit = once(child, "exit").then(() => {
    hasExited = true;
  });
  const server: ServerProcess = {
    pid: child.pid ?? -1,
    logFile: spec.logFile,
    stderr: () => stderrText,
    exited: () => hasExited,
    stop: async () => {
      if (hasExited) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
  while (!(await isReady(spec.readyUrl))) {
    if (hasExited) throw new ServerStartError(spec.name, stderrText, "the process exited");
    if (Date.now() > deadline) {
      await server.stop();
      throw new ServerStartError(spec.name, stderrText, `${spec.readyUrl} not ready after ${spec.readyTimeoutMs ?? 30_000} ms`);
    }
    await sleep(spec.pollMs ?? 100);
  }
  return server;
}
