// Running `chatgpt-webhooks serve` as a separate process (for multi-instance and signal tests).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A running service process. */
export interface ServiceProcess {
  readonly url: string;
  readonly webhookUrl: string;
  output(): string;
  /** Resolves once the process has printed `text` (rejects if it exits first). */
  waitFor(text: string): Promise<void>;
  /** Sends `signal` to the process. */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` (SIGTERM by default), then resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** A port nothing listens on right now (for "connection refused"; never to listen on later). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the service with `env` on 127.0.0.1, port 0 (the kernel picks one: no free-port race),
 * and resolves once it listens, with the URL it logged. It runs in `cwd` (default: the checkout);
 * `entry` is the script and its arguments (default: `src/cli/main.ts serve`).
 */
export async function startServiceProcess(env: Record<string, string>, cwd = ROOT, entry: readonly string[] = [`${ROOT}src/cli/main.ts`, "serve"]): Promise<ServiceProcess> {
  // Absolute paths, so the service may run in another folder (e.g. one holding a .env).
  const child: ChildProcess = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), ...entry], {
    cwd,
    env: { ...process.env, LOG_LEVEL: "info", LOG_FORMAT: "json", ...env, HOST: "127.0.0.1", PORT: "0" },
  });
  let output = "";
  let changed: () => void = () => undefined;
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    changed();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  let exitCode: number | undefined;
  const exited = once(child, "exit").then(([code]) => (exitCode = (code as number | null) ?? 1));

  const until = async (found: () => boolean, what: string): Promise<void> => {
    while (!found()) {
      if (exitCode !== undefined) throw new Error(`service exited (${exitCode}) before printing ${what}:\n${output}`);
      await Promise.race([new Promise<void>((resolve) => (changed = resolve)), exited]);
    }
  };
  const waitFor = (text: string): Promise<void> => until(() => output.includes(text), JSON.stringify(text));

  // The whole JSON line, not a chunk of it.
  const listening = (): string | undefined => /^.*"receiver listening".*$/m.exec(output.split("\n").slice(0, -1).join("\n"))?.[0];
  await until(() => listening() !== undefined, "its listening line");
  const webhookUrl = (JSON.parse(listening()!) as { url: string }).url;
  return {
    url: new URL(webhookUrl).origin,
    webhookUrl,
    output: () => output,
    waitFor,
    signal: (signal) => void child.kill(signal),
    stop: async (signal = "SIGTERM") => {
      if (exitCode !== undefined) return exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
