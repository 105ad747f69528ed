// Reading deploy/prometheus/alerts.yml for the tests: the rules, the metric names their expressions use,
// and the names a /metrics scrape exposes (histogram and summary series included).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const ALERTS_FILE = fileURLToPath(new URL("../../deploy/prometheus/alerts.yml", import.meta.url));
export const ALERT_TESTS_FILE = fileURLToPath(new URL("../../deploy/prometheus/alerts.test.yml", import.meta.url));

/** One alerting rule as written in the file. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
}

interface RuleFile {
  readonly groups: ReadonlyArray<{ readonly rules: readonly AlertRule[] }>;
}

/** Every alerting rule of alerts.yml. */
export function alertRules(): AlertRule[] {
  const file = parse(readFileSync(ALERTS_FILE, "utf8")) as RuleFile;
  return file.groups.flatMap((group) => group.rules);
}

/** PromQL words that are not metric names: operators, modifiers, and the label list of grouping clauses. */
const KEYWORDS = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan"]);

/**
 * The metric names a PromQL expression selects: string literals, label matchers (`{...}`),
 * ranges (`[...]`) and grouping label lists (`by (le)`) removed; what is left that is an
 * identifier not called as a function (`rate(`) nor a keyword is a metric name.
 */
export function metricNamesIn(expr: string): Set<string> {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.])([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    const [, name = "", call] = match;
    if (call === undefined && !KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return names;
}

/**
 * The series names a Prometheus text scrape exposes, from its `# TYPE` lines: a histogram `h`
 * exposes `h_bucket`, `h_sum` and `h_count` (never `h` itself), a summary `s`, `s_sum` and `s_count`.
 * A metric with no sample yet (a labelled counter never incremented) is exposed all the same.
 */
export function exposedNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const [, name = "", type] of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
    else if (type === "summary") for (const suffix of ["", "_sum", "_count"]) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}
