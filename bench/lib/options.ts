// Benchmark settings from BENCH_* environment variables, with defaults sized for ~6-7 minutes on 2 cores.

/** Every setting of `npm run bench`. */
export interface BenchOptions {
  /** Seconds of load per scenario and body size before the measured rounds. Defaults to 5. */
  readonly warmupSeconds: number;
  /** Seconds of one measured round. Defaults to 8. */
  readonly roundSeconds: number;
  /** Interleaved rounds per scenario (A B C A B C ...). Defaults to 3. */
  readonly rounds: number;
  /** autocannon connections. Defaults to 10. */
  readonly connections: number;
  /** Body sizes in bytes. Defaults to 1024 and 65536. */
  readonly sizes: readonly number[];
  /** Scenario ids to run; empty means all. */
  readonly scenarios: readonly string[];
  /** Parts to run: micro, cold, load. Defaults to all three. */
  readonly parts: readonly string[];
  /** The Redis of the Redis scenario. Defaults to redis://127.0.0.1:6379. */
  readonly redisUrl: string;
  /** Deliveries of the cold-start check. Defaults to 500. */
  readonly coldDeliveries: number;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

function list(name: string, fallback: readonly string[]): readonly string[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  return raw.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
}

/** Reads the settings; throws on a malformed value, naming the variable. */
export function readBenchOptions(): BenchOptions {
  return {
    warmupSeconds: positive("BENCH_WARMUP_SECONDS", 5),
    roundSeconds: positive("BENCH_ROUND_SECONDS", 8),
    rounds: Math.round(positive("BENCH_ROUNDS", 3)),
    connections: Math.round(positive("BENCH_CONNECTIONS", 10)),
    sizes: list("BENCH_SIZES", ["1024", "65536"]).map(Number),
    scenarios: list("BENCH_SCENARIOS", []),
    parts: list("BENCH_PARTS", ["micro", "cold", "load"]),
    redisUrl: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
    coldDeliveries: Math.round(positive("BENCH_COLD_DELIVERIES", 500)),
  };
}

/** A positive number from env, for the standalone scripts. */
export const envNumber = positive;
