// `chatgpt-webhooks replay <file|folder>...`: signs fixture events with a fresh timestamp and POSTs them.
import { DEFAULT_STATE_DIR } from "../dev/dev-state.js";
import { flagConfig, integerFlag, parseArgs, parseFlags } from "./parse-flags.js";
import { collectEvents } from "./replay/collect-events.js";
import { formatJson, formatSummary, formatTable } from "./replay/print-results.js";
import { checkSchemeFlag, resolveDeliveryTarget, TARGET_FLAG_OPTIONS } from "./replay/delivery-target.js";
import { sendDelivery, type DeliveryRow, type DeliverySettings } from "./replay/send-delivery.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const REPLAY_HELP = `Usage: chatgpt-webhooks replay <file|folder>... [flags]

Signs each fixture event (a file, or every .json file under a folder) with a fresh timestamp and
POSTs it. Without --secret the key comes from the running dev stack's provider, fetched with
client credentials (the same token -> key flow the receiver uses).

  --url U                 webhook URL (default: the dev stack's, from --state-dir)
  --scheme S              chatgpt or standard (default: the dev stack's, else chatgpt)
  --secret K              sign with K instead of the dev provider's current key
  --tamper                flip one byte of the body after signing (expect 401 invalid_signature)
  --timestamp-offset N    add N seconds to the signed timestamp; negative values as their own
                          argument work: --timestamp-offset -600 (expect 401 timestamp_out_of_tolerance)
  --repeat N              send the same signed delivery N times, one after another (default 1)
  --concurrency N         deliveries in flight at once (default 1)
  --type T                only events of type T
  --expect STATUS         the HTTP status every delivery must get (default: 200, or 202 queued)
  --json                  print one JSON array of {type, id, status, outcome, ms}
  --state-dir DIR         the dev stack's state (default ${DEFAULT_STATE_DIR})

Exit codes: 0 every delivery got the expected status, 1 otherwise (or no key could be had),
2 usage error.`;

/** parseArgs reads "-600" after a flag as another flag: glue negative numbers to their flag. */
function glueNegativeNumbers(args: readonly string[]): string[] {
  const glued: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const next = args[i + 1];
    if (arg.startsWith("--") && !arg.includes("=") && next !== undefined && /^-\d+$/.test(next)) {
      glued.push(`${arg}=${next}`);
      i++;
    } else glued.push(arg);
  }
  return glued;
}

async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Runs the replay command. */
export async function replayCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs(
      flagConfig(glueNegativeNumbers(args), {
        ...TARGET_FLAG_OPTIONS,
        tamper: { type: "boolean", default: false },
        "timestamp-offset": { type: "string" },
        repeat: { type: "string" },
        concurrency: { type: "string" },
        type: { type: "string" },
        expect: { type: "string" },
      }),
    ),
  );
  if (values.help) return void console.log(REPLAY_HELP), ExitCode.OK;
  if (positionals.length === 0) throw new UsageError("replay needs at least one file or folder");
  const expect = integerFlag("expect", values.expect, 100, 599);
  // Handled (200) or, against a receiver in queue mode, durably queued (202).
  const expected: readonly number[] = expect === undefined ? [200, 202] : [expect];
  const repeat = integerFlag("repeat", values.repeat, 1, 10_000) ?? 1;
  const concurrency = integerFlag("concurrency", values.concurrency, 1, 1_000) ?? 1;
  const offset = integerFlag("timestamp-offset", values["timestamp-offset"], -1e9, 1e9) ?? 0;
  checkSchemeFlag(values.scheme);
  const events = await collectEvents(positionals, values.type);
  if (events.length === 0) throw new UsageError(`no events${values.type === undefined ? "" : ` of type ${values.type}`} found`);

  const target = await resolveDeliveryTarget({ ...values, stateDir: values["state-dir"] ?? DEFAULT_STATE_DIR });
  const settings: DeliverySettings = {
    ...target,
    tamper: values.tamper,
    timestampOffsetSeconds: offset,
    repeat,
  };

  const started = performance.now();
  const total = events.length * repeat;
  let done = 0;
  const progress = !values.json && process.stderr.isTTY && total > 20;
  const rows = (
    await pool(events, concurrency, async (event): Promise<DeliveryRow[]> => {
      const sent = await sendDelivery(event, settings);
      done += sent.length;
      if (progress) process.stderr.write(`\rsent ${done}/${total}`);
      return sent;
    })
  ).flat();
  if (progress) process.stderr.write("\r\x1b[K");
  console.log(values.json ? formatJson(rows) : `${formatTable(rows)}\n\n${formatSummary(rows, expected, performance.now() - started)}`);
  return rows.every((row) => expected.includes(row.status)) ? ExitCode.OK : ExitCode.FAILURE;
}
