// `chatgpt-webhooks sign [FILE]`: prints the signature headers of a body, or a complete curl command.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isUtf8 } from "node:buffer";
import { buffer } from "node:stream/consumers";
import { splitSecrets } from "../config/secrets.js";
import type { SchemeName } from "../signature/scheme.js";
import { SCHEME_NAMES } from "../signature/schemes.js";
import { sign } from "../signature/sign-and-verify.js";
import { flagConfig, integerFlag, parseArgs, parseFlags } from "./parse-flags.js";
import { curlCommand } from "./shell-quote.js";
import { ExitCode, UsageError } from "./usage-error.js";

export const SIGN_HELP = `Usage: chatgpt-webhooks sign [FILE] --secret K [--scheme chatgpt|standard] [--id ID]
                             [--timestamp SECONDS] [--curl --url URL]

Reads a body from FILE (or stdin) and prints its signature headers as "name: value" lines,
or with --curl a complete curl command that POSTs the body to --url (FILE by name; a body from
stdin, which must then be UTF-8 text without NUL bytes, within the command itself).

  --secret K       secret to sign with (default: the first of WEBHOOK_SECRET)
  --scheme S       chatgpt (default) or standard
  --id ID          delivery id (webhook-id in the standard scheme; default: a new msg_ id)
  --timestamp T    unix seconds (default: now)
  --curl           print a curl command instead of headers (needs --url)
  --url URL        the webhook URL for --curl

Exit codes: 0 printed, 1 could not read the body, 2 usage error.`;

export function newDeliveryId(): string {
  return `msg_${randomBytes(12).toString("hex")}`;
}

/** Runs the sign command. */
export async function signCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs(
      flagConfig(args, {
        secret: { type: "string" },
        scheme: { type: "string", default: "chatgpt" },
        id: { type: "string" },
        timestamp: { type: "string" },
        curl: { type: "boolean", default: false },
        url: { type: "string" },
      }),
    ),
  );
  if (values.help) return void console.log(SIGN_HELP), ExitCode.OK;
  if (positionals.length > 1) throw new UsageError("sign takes at most one FILE");
  const scheme = values.scheme as SchemeName;
  if (!SCHEME_NAMES.includes(scheme)) throw new UsageError(`--scheme must be one of ${SCHEME_NAMES.join(", ")}`);
  const secret = values.secret ?? splitSecrets(env.WEBHOOK_SECRET ?? "")[0];
  if (secret === undefined) throw new UsageError("--secret is required (or set WEBHOOK_SECRET)");
  const file = positionals[0];
  if (values.curl && values.url === undefined) throw new UsageError("--curl needs --url");
  // The exact bytes: the signature covers them (no decoding, so no BOM or invalid byte is altered).
  const body = file === undefined ? await buffer(process.stdin) : await readFile(file);
  if (values.curl && file === undefined && (!isUtf8(body) || body.includes(0))) {
    throw new UsageError("--curl with the body on stdin needs UTF-8 text without NUL bytes; pass the body as FILE");
  }
  const headers = sign(scheme, {
    body,
    secret,
    timestamp: integerFlag("timestamp", values.timestamp, 0, 1e15),
    id: values.id ?? (scheme === "standard" ? newDeliveryId() : undefined),
  });
  if (values.curl && values.url !== undefined) {
    console.log(curlCommand(values.url, headers, file === undefined ? { text: body.toString("utf8") } : { file: resolve(file) }));
  } else {
    for (const [name, value] of Object.entries(headers)) console.log(`${name}: ${value}`);
  }
  return ExitCode.OK;
}
