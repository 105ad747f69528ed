// `chatgpt-webhooks trigger <type>`: an event of any known type from its template, with
// overrides, signed with a fresh timestamp and POSTed as `replay` does.
import { DEFAULT_STATE_DIR } from "../dev/dev-state.js";
import { OPENAI_EVENT_TYPES } from "../events/openai-events.js";
import { buildEvent, isTemplateType } from "../events/templates.js";
import { flagConfig, parseArgs, parseFlags } from "./parse-flags.js";
import { checkSchemeFlag, resolveDeliveryTarget, TARGET_FLAG_OPTIONS } from "./replay/delivery-target.js";
import { formatJson, formatSummary, formatTable } from "./replay/print-results.js";
import { sendDelivery } from "./replay/send-delivery.js";
import { applyOverrides } from "./trigger/apply-overrides.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const TRIGGER_HELP = `Usage: chatgpt-webhooks trigger <type> [--set path=value]... [flags]
       chatgpt-webhooks trigger --list

Builds an event of <type> from its template (a fresh evt_ id, created_at now), applies the
overrides, signs it with a fresh timestamp and POSTs it, as replay does. Without --secret the key
comes from the running dev stack's provider.

  --list            print the known event types, one a line
  --set path=value  set a field by its dotted path (data.id=resp_123, data.sip_headers.0.value=x);
                    the value is read as JSON when it parses (3, true, {"a":1}, "\\"123\\""), as a
                    string otherwise; repeat the flag for more fields
  --url U           webhook URL (default: the dev stack's, from --state-dir)
  --scheme S        chatgpt or standard (default: the dev stack's, else chatgpt)
  --secret K        sign with K instead of the dev provider's current key
  --json            print one JSON array of {type, id, status, outcome, ms}
  --state-dir DIR   the dev stack's state (default ${DEFAULT_STATE_DIR})

Exit codes: 0 the delivery got 200 (or 202 queued), 1 otherwise (or no key could be had),
2 usage error (unknown type or flag, bad --set).`;

/** Runs the trigger command. */
export async function triggerCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs(
      flagConfig(args, {
        ...TARGET_FLAG_OPTIONS,
        list: { type: "boolean", default: false },
        set: { type: "string", multiple: true, default: [] },
      }),
    ),
  );
  if (values.help) return void console.log(TRIGGER_HELP), ExitCode.OK;
  if (values.list) {
    if (positionals.length > 0) throw new UsageError("trigger --list takes no event type");
    return void console.log(OPENAI_EVENT_TYPES.join("\n")), ExitCode.OK;
  }
  const [type, ...rest] = positionals;
  if (type === undefined) throw new UsageError('trigger needs an event type (see "chatgpt-webhooks trigger --list")');
  if (rest.length > 0) throw new UsageError(`trigger takes one event type (got also "${rest[0]}")`);
  if (!isTemplateType(type)) throw new UsageError(`unknown event type "${type}" (see "chatgpt-webhooks trigger --list")`);
  checkSchemeFlag(values.scheme);
  const event = applyOverrides(buildEvent(type, Math.floor(Date.now() / 1000)) as unknown as Record<string, unknown>, values.set);

  const target = await resolveDeliveryTarget({ ...values, stateDir: values["state-dir"] ?? DEFAULT_STATE_DIR });
  const body = Buffer.from(JSON.stringify(event));
  const started = performance.now();
  const rows = await sendDelivery(
    { path: `trigger ${type}`, body, id: event.id as string, type: event.type as string },
    { ...target, tamper: false, timestampOffsetSeconds: 0, repeat: 1 },
  );
  const expected = [200, 202];
  console.log(values.json ? formatJson(rows) : `${formatTable(rows)}\n\n${formatSummary(rows, expected, performance.now() - started)}`);
  return rows.every((row) => expected.includes(row.status)) ? ExitCode.OK : ExitCode.FAILURE;
}
