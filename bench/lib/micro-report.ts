// The micro-benchmark's result type and its markdown table with the issue's two verify targets.
import { fixed, ratio, sizeLabel } from "./format.js";

/** ns per call of each case at one body size. */
export interface MicroResult {
  readonly sizeBytes: number;
  readonly nsPerOp: Readonly<Record<string, number>>;
}

/** The cases, by name, in table order. */
export const MICRO_CASES = {
  bare: "bare createHmac (secret string, prefix + body)",
  ours: "ours: verifyDelivery, prepared KeyObject (hot path)",
  oursPublic: "ours: verify() public one-call (string secret)",
  oursStandard: "ours: verifyDelivery, standard scheme",
  standardwebhooks: "standardwebhooks Webhook.verify (default: parses JSON)",
  standardwebhooksNoParse: "standardwebhooks Webhook.verify (jsonParse: false)",
} as const;

const BARE = MICRO_CASES.bare;
const OURS = MICRO_CASES.ours;
const OURS_PUBLIC = MICRO_CASES.oursPublic;
const OURS_STANDARD = MICRO_CASES.oursStandard;
const SW = MICRO_CASES.standardwebhooks;
const SW_NO_PARSE = MICRO_CASES.standardwebhooksNoParse;

/** The target ratios of the issue, per size. */
export function microTargets(result: MicroResult): { oursOverBare: number; publicOverBare: number; standardwebhooksOverOurs: number; standardwebhooksNoParseOverOursStandard: number } {
  const ns = result.nsPerOp;
  const of = (name: string): number => ns[name] ?? Number.NaN;
  return {
    oursOverBare: of(OURS) / of(BARE),
    publicOverBare: of(OURS_PUBLIC) / of(BARE),
    standardwebhooksOverOurs: of(SW) / of(OURS),
    standardwebhooksNoParseOverOursStandard: of(SW_NO_PARSE) / of(OURS_STANDARD),
  };
}

/** Markdown: one row per case, ns/op and the ratio to the bare HMAC at each size; then the targets. */
export function formatMicroTable(results: readonly MicroResult[]): string {
  const names = Object.keys(results[0]?.nsPerOp ?? {});
  const header = `| case | ${results.map((r) => `${sizeLabel(r.sizeBytes)} ns/op | x bare`).join(" | ")} |`;
  const rule = `| --- | ${results.map(() => "---: | ---:").join(" | ")} |`;
  const rows = names.map((name) => {
    const cells = results.map((r) => {
      const ns = r.nsPerOp[name] ?? Number.NaN;
      return `${fixed(ns)} | ${ratio(ns / (r.nsPerOp[BARE] ?? Number.NaN))}`;
    });
    return `| ${name} | ${cells.join(" | ")} |`;
  });
  const targets = results.map((r) => {
    const t = microTargets(r);
    return (
      `- ${sizeLabel(r.sizeBytes)}: ours / bare HMAC = ${ratio(t.oursOverBare)} (target <= 1.30x: ${t.oursOverBare <= 1.3 ? "met" : "MISSED"}); ` +
      `public verify() / bare = ${ratio(t.publicOverBare)}; ` +
      `standardwebhooks / ours = ${ratio(t.standardwebhooksOverOurs)} (target >= 5x: ${t.standardwebhooksOverOurs >= 5 ? "met" : "MISSED"}); ` +
      `without its JSON parse, vs our standard scheme: ${ratio(t.standardwebhooksNoParseOverOursStandard)}`
    );
  });
  return [header, rule, ...rows, "", ...targets].join("\n");
}
