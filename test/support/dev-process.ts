// `chatgpt-webhooks dev` as a child process (stdout a pipe, not a terminal) for CLI tests.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Spawning tsx can take many seconds on a loaded two-core machine: generous deadlines. */
export const SPAWN_DEADLINE_MS = 60_000;

/** A running dev stack and everything it wrote so far (stdout and stderr together). */
export interface DevProcess {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERMs it and resolves with its exit code. */
  stop(): Promise<number>;
}

/** `process.env` without the variables `names`. */
export function childEnvWithout(...names: string[]): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of names) delete inherited[name];
  return inherited;
}

/** `process.env` without `LOG_FORMAT`, plus `env`: the child chooses its format as a user's would. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...childEnvWithout("LOG_FORMAT"), LOG_LEVEL: "info", ...env };
}

/** Starts dev on `stateDir` and waits for its banner. @throws when it exits first (with its output) */
export async function startDevProcess(stateDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<DevProcess> {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "dev", "--port", "0", "--state-dir", stateDir, ...args], {
    cwd: ROOT,
    env: childEnv(env),
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  while (!output.includes("curl -X POST")) {
    const next = await Promise.race([once(child.stdout, "data").then(() => "data"), exited.then(() => "exit")]);
    if (next === "exit") throw new Error(`dev exited at start:\n${output}`);
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const closed = once(child, "close");
      child.kill("SIGTERM");
      const [code] = (await closed) as [number];
      return code;
    },
  };
}

/** Waits (deadline 10 s) until `done(output)` holds, on each new chunk of the child's output. */
export async function outputUntil(dev: DevProcess, done: (output: string) => boolean): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (!done(dev.output()) && Date.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([once(dev.child.stdout!, "data"), new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
    clearTimeout(timer);
  }
  return dev.output();
}

/** Runs the CLI once; resolves with its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, env: childEnv(env), timeout: SPAWN_DEADLINE_MS }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
