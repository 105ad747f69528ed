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
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the service with `env` (plus HOST/PORT) and resolves once it listens. */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "info", ...env, HOST: "127.0.0.1", PORT: String(port) },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  while (!output.includes("receiver listening")) {
    const next = await Promise.race([once(child.stdout!, "data").then(() => "data"), exited.then(() => "exit")]);
    if (next === "exit") throw new Error(`service exited at start:\n${output}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    webhookUrl: `${url}/webhooks/chatgpt`,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = (await exited) as [number];
      return code;
    },
  };
}
