// Quoting for commands the CLI prints for people to paste into a POSIX shell.

/** Single-quotes `value` for sh (safe for any content). */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A curl command POSTing the file at `bodyPath` to `url` with `headers`. */
export function curlCommand(url: string, headers: Readonly<Record<string, string>>, bodyPath: string): string {
  const lines = [`curl -sS -X POST ${shellQuote(url)}`, `-H ${shellQuote("content-type: application/json")}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`--data-binary @${shellQuote(bodyPath)}`);
  return lines.join(" \\\n  ");
}
