// Redis test helpers: the machine's Redis with a per-run key prefix, and private redis-server processes to stop and restart.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createClient } from "redis";

/** The machine's Redis, shared by every run: tests keep to their own key prefix. */
export const LOCAL_REDIS_URL = "redis://127.0.0.1:6379";

/** Deletes every key under `prefix` (SCAN + DEL, never KEYS or FLUSHDB on a shared Redis). */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  let deleted = 0;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    client.destroy();
  }
  return deleted;
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A private redis-server that tests can kill and start again on its port. */
export interface RedisServerProcess {
  readonly port: number;
  readonly url: string;
  /** Starts the server and resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGKILLs the server and resolves once it has exited. */
  kill(): Promise<void>;
}

/** Every child started by {@link redisServer}, for `killAll` in `afterAll`. */
const children = new Set<ChildProcess>();

/**
 * Prepares a redis-server on `port`; nothing runs until `start()`. With `aofDir` it persists
 * every write (AOF, fsync always), so a restart keeps what it had, as the README advises.
 * `extraArgs` are more config directives (e.g. `--rename-command CONFIG ""`, as managed Redis does).
 */
export function redisServer(port: number, aofDir?: string, extraArgs: readonly string[] = []): RedisServerProcess {
  const persistence = aofDir === undefined ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", "always", "--dir", aofDir];
  let child: ChildProcess | undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--daemonize", "no", ...extraArgs],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = started;
      children.add(started);
      started.once("exit", () => children.delete(started));
      let output = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 20_000);
        started.stdout?.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Ready to accept connections")) {
            clearTimeout(timer);
            resolve();
          }
        });
        started.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`redis-server exited with ${String(code)}: ${output}`));
        });
      });
    },
    async kill() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, "exit");
      running.kill("SIGKILL");
      await exited;
    },
  };
}

/** SIGKILLs every redis-server still running (call in `afterAll`, pass or fail). */
export function killAll(): void {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}

/** Polls `check` every 20 ms until it is true or `timeoutMs` passes; returns its last answer. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
