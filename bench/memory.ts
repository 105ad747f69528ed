// `npm run bench:memory`: RSS of the service after N unique deliveries through the memory store (REPLAY_MAX_ENTRIES=100000).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { createEventFactory } from "./lib/event-factory.js";
import { megabytes } from "./lib/format.js";
import { roundIsClean, runLoad, type RoundResult } from "./lib/load-round.js";
import { machineInfo, formatMachine } from "./lib/machine.js";
import { envNumber } from "./lib/options.js";
import { RESULTS_DIR } from "./lib/paths.js";
import { LOAD_CORE, pinSelf } from "./lib/pinning.js";
import { rssBytes } from "./lib/proc-stat.js";
import { chatgptSigner } from "./lib/signers.js";
import { startServiceTarget } from "./lib/start-service-target.js";

const LIMIT_BYTES = 150 * 1024 * 1024;
const deliveries = Math.round(envNumber("BENCH_MEMORY_DELIVERIES", 1_000_000));
const warmupDeliveries = Math.round(envNumber("BENCH_MEMORY_WARMUP_DELIVERIES", 20_000));
const connections = Math.round(envNumber("BENCH_CONNECTIONS", 10));
const log = (line: string): void => console.error(`[memory ${new Date().toISOString().slice(11, 19)}] ${line}`);

const machine = machineInfo();
pinSelf(LOAD_CORE);
const workDir = mkdtempSync(join(tmpdir(), "bench-memory-"));
const secret = randomBytes(32).toString("hex");
const target = await startServiceTarget(workDir, "memory", { WEBHOOK_SECRET: secret, REPLAY_MAX_ENTRIES: "100000" }, chatgptSigner(secret));
const events = createEventFactory(1024);
try {
  const rssAtStart = rssBytes(target.pid);
  log(`warm-up: ${warmupDeliveries} deliveries`);
  const warmup = await runLoad({ target, events, connections, amount: warmupDeliveries });
  const rssAfterWarmup = rssBytes(target.pid);
  let peak = rssAfterWarmup;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(target.pid))), 1_000);
  log(`measured: ${deliveries} unique deliveries (RSS after warm-up ${megabytes(rssAfterWarmup)})`);
  const started = Date.now();
  const run: RoundResult = await runLoad({ target, events, connections, amount: deliveries });
  clearInterval(sampler);
  const rssAfterRun = rssBytes(target.pid);
  peak = Math.max(peak, rssAfterRun);
  const growth = rssAfterRun - rssAfterWarmup;
  const clean = roundIsClean(warmup) && roundIsClean(run);
  const result = {
    machine,
    command: "npm run bench:memory",
    deliveries,
    warmupDeliveries,
    replayMaxEntries: 100_000,
    seconds: (Date.now() - started) / 1000,
    requestsPerSecond: run.requestsPerSecond,
    rssAtStartBytes: rssAtStart,
    rssAfterWarmupBytes: rssAfterWarmup,
    rssAfterRunBytes: rssAfterRun,
    rssPeakBytes: peak,
    growthBytes: growth,
    allAnswersClean: clean,
    statusCodes: run.statusCodes,
    errors: run.errors,
    unexpectedBodies: run.unexpectedBodies,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `memory-${machine.date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    [
      `## Memory: ${deliveries.toLocaleString("en-US")} unique 1 KB deliveries, memory store, REPLAY_MAX_ENTRIES=100000`,
      "",
      formatMachine(machine),
      "",
      "| RSS at start | after warm-up | after the run | peak (1 s samples) | growth | target | answers |",
      "| ---: | ---: | ---: | ---: | ---: | --- | --- |",
      `| ${megabytes(rssAtStart)} | ${megabytes(rssAfterWarmup)} | ${megabytes(rssAfterRun)} | ${megabytes(peak)} | ${megabytes(growth)} | < 150 MB: ${growth < LIMIT_BYTES ? "met" : "MISSED"} | ${clean ? "all 2xx processed" : `FAILED: ${JSON.stringify(run.statusCodes)}, ${run.errors} errors, ${run.unexpectedBodies} unexpected bodies`} |`,
      "",
      `${run.requestsPerSecond.toFixed(0)} req/s over ${result.seconds.toFixed(0)} s. JSON: ${file}`,
    ].join("\n"),
  );
  process.exitCode = clean && growth < LIMIT_BYTES ? 0 : 1;
} finally {
  await target.stop();
}
