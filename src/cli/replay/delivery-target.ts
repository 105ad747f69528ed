// Where and how replay and trigger send: --url, --scheme and --secret, else the running dev stack's.
import type { SchemeName } from "../../signature/scheme.js";
import { SCHEME_NAMES } from "../../signature/schemes.js";
import { UsageError } from "../usage-error.js";
import { fetchDevSigningKey, requireDevState } from "./resolve-secret.js";

/** The `parseArgs` options of the target flags (and `--json`), shared by replay and trigger. */
export const TARGET_FLAG_OPTIONS = {
  url: { type: "string" },
  scheme: { type: "string" },
  secret: { type: "string" },
  json: { type: "boolean", default: false },
  "state-dir": { type: "string" },
} as const;

/** The flags that choose a target. */
export interface TargetFlags {
  readonly url?: string | undefined;
  readonly scheme?: string | undefined;
  readonly secret?: string | undefined;
  readonly stateDir: string;
}

/** The receiver to send to, its scheme and the key to sign with. */
export interface DeliveryTarget {
  readonly url: string;
  readonly scheme: SchemeName;
  readonly secret: string;
}

/** Checks `--scheme` before anything is read or sent. @throws UsageError */
export function checkSchemeFlag(scheme: string | undefined): void {
  if (scheme !== undefined && !SCHEME_NAMES.includes(scheme as SchemeName)) {
    throw new UsageError(`--scheme must be one of ${SCHEME_NAMES.join(", ")}`);
  }
}

/**
 * The target from the flags, filling what they leave out from the dev stack in `stateDir`
 * (its webhook URL and scheme; its provider's current key, fetched with client credentials).
 * @throws UsageError when the dev stack is needed and has not run
 */
export async function resolveDeliveryTarget(flags: TargetFlags): Promise<DeliveryTarget> {
  checkSchemeFlag(flags.scheme);
  const dev = flags.secret === undefined || flags.url === undefined ? await requireDevState(flags.stateDir) : undefined;
  return {
    url: flags.url ?? dev?.endpoints.webhookUrl ?? "",
    scheme: (flags.scheme ?? dev?.endpoints.scheme ?? "chatgpt") as SchemeName,
    secret: flags.secret ?? (await fetchDevSigningKey(dev!)),
  };
}
