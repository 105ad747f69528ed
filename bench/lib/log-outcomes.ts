// Counting the outcomes our service logged (one pino line per delivery), to catch answers the load generator never saw.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

const OUTCOME = /"outcome":"([a-z_]+)"/;

/**
 * Counts `outcome` values in a service log. Requests cut off when autocannon closes its
 * connections at the end of a run are answered into closed sockets: only the log shows them.
 */
export async function countLoggedOutcomes(logFile: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const lines = createInterface({ input: createReadStream(logFile, "utf8"), crlfDelay: Infinity });
  for await (const line of lines) {
    const outcome = OUTCOME.exec(line)?.[1];
    if (outcome !== undefined) counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}
