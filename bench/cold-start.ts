// `npm run bench:cold`: the cold-start check on its own (500 concurrent deliveries, count token and key requests).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runColdStart } from "./lib/cold-start.js";
import { envNumber } from "./lib/options.js";

const workDir = mkdtempSync(join(tmpdir(), "bench-cold-"));
const result = await runColdStart(workDir, Math.round(envNumber("BENCH_COLD_DELIVERIES", 500)));
console.log(JSON.stringify(result, null, 2));
process.exit(result.tokenRequests === 1 && result.keyRequests === 1 ? 0 : 1);
