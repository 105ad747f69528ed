// Interleaved timing of synchronous functions: calibrated batches, several rounds, median ns per call.
import { median } from "./stats.js";

/** A named function to time. Its return value is kept so the work cannot be optimised away. */
export interface MicroCase {
  readonly name: string;
  readonly run: () => unknown;
}

/** Settings of {@link measureNs}. */
export interface MeasureOptions {
  /** Rounds over all cases (A B C A B C ...). Defaults to 7. */
  readonly rounds?: number;
  /** Target time of one batch, ms. Defaults to 150. */
  readonly batchMs?: number;
}

let sink: unknown;

function timeBatch(run: () => unknown, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) sink = run();
  return Number(process.hrtime.bigint() - start);
}

function calibrate(run: () => unknown, batchMs: number): number {
  let iterations = 100;
  for (;;) {
    const elapsedNs = timeBatch(run, iterations);
    if (elapsedNs >= 20_000_000) return Math.max(1, Math.round((iterations * batchMs * 1_000_000) / elapsedNs));
    iterations *= 4;
  }
}

/** Returns the median ns per call of each case, by name. */
export function measureNs(cases: readonly MicroCase[], options: MeasureOptions = {}): Map<string, number> {
  const batchMs = options.batchMs ?? 150;
  const iterations = cases.map((entry) => calibrate(entry.run, batchMs));
  const samples = cases.map((): number[] => []);
  for (let round = 0; round < (options.rounds ?? 7); round += 1) {
    cases.forEach((entry, index) => {
      const count = iterations[index] ?? 1;
      samples[index]?.push(timeBatch(entry.run, count) / count);
    });
  }
  if (sink === Symbol.for("never")) console.log(sink);
  return new Map(cases.map((entry, index) => [entry.name, median(samples[index] ?? [])]));
}
