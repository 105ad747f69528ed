// Starting one of bench/servers/*.ts (baseline and peers) under tsx as a scenario target.
import { join } from "node:path";
import type { Target } from "../scenarios/scenario.js";
import { freePort } from "./free-port.js";
import { benchServer, REPO_ROOT } from "./paths.js";
import { startServerProcess } from "./server-process.js";
import type { Signer } from "./signers.js";

/** The settings every bench server reads. */
export const BENCH_SERVER_PATH = "/webhooks/bench";

/** Starts `bench/servers/<file>.ts` with `BENCH_SECRET`, waits for its `/healthz`; `expectInBody` as in {@link Target}. */
export async function startBenchServer(workDir: string, file: string, secret: string, signer: Signer, expectInBody?: string): Promise<Target> {
  const port = await freePort();
  const server = await startServerProcess({
    name: file,
    command: process.execPath,
    args: ["--import", "tsx", benchServer(file)],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOST: "127.0.0.1",
      PORT: String(port),
      BENCH_PATH: BENCH_SERVER_PATH,
      BENCH_SECRET: secret,
    },
    cwd: REPO_ROOT,
    logFile: join(workDir, `${file}.log`),
    readyUrl: `http://127.0.0.1:${port}/healthz`,
  });
  return {
    url: `http://127.0.0.1:${port}${BENCH_SERVER_PATH}`,
    pid: server.pid,
    signer,
    expectInBody,
    logFile: server.logFile,
    stop: () => server.stop(),
  };
}
