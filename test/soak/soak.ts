// `npm run soak`: the long soak (SOAK_SECONDS, default 60; SOAK_RATE per second, default 100; SOAK_SEED), exit 1 on any violation.
import { runSoak } from "./run-soak.js";

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`soak: ${name} must be a positive number (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return value;
}

const seconds = positive("SOAK_SECONDS", 60);
const rate = positive("SOAK_RATE", 100);
const seed = process.env.SOAK_SEED === undefined ? undefined : positive("SOAK_SEED", 1);
const write = (line: string): void => void process.stdout.write(`${line}\n`);

write(`soak: ${seconds} s at ${rate} deliveries/s on 127.0.0.1 (1% duplicates, 1% forged, 2% handler failures)`);
const report = await runSoak({ seconds, rate, ...(seed === undefined ? {} : { seed }), log: write });
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
write(JSON.stringify({ ...report, violations: report.violations.length }, null, 2));
write(
  `memory (${report.memory.measure}): ${mb(report.memory.atThirdBytes)} at 1/3, ${mb(report.memory.atEndBytes)} at the end ` +
    `(${report.memory.atEndBytes >= report.memory.atThirdBytes ? "+" : ""}${mb(report.memory.atEndBytes - report.memory.atThirdBytes)}, margin ${mb(report.memory.marginBytes)})`,
);
if (report.violations.length > 0) {
  console.error(`soak FAILED: ${report.violations.length} violation(s)`);
  for (const violation of report.violations) console.error(`  - ${violation}`);
  process.exit(1);
}
write(`soak OK: ${report.validEvents} valid events handled exactly once, ${report.forgedEvents} forged events refused, seed ${report.seed}`);
