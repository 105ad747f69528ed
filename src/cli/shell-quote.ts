// Quoting for commands the CLI prints for people to paste into a POSIX shell.

/** Single-quotes `value` for sh (safe for any content but NUL, which no shell word can hold). */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The body of a printed curl command: a file to send, or the text itself (UTF-8, no NUL). */
export type CurlBody = { readonly file: string } | { readonly text: string };

/**
 * A curl command POSTing `body` to `url` with `headers`. A file is sent with `--data-binary @FILE`;
 * text is piped in by `printf '%s'` (a shell builtin: no argument length limit, no trailing
 * newline added, unlike a here-document), single-quoted so that nothing in it is expanded.
 */
export function curlCommand(url: string, headers: Readonly<Record<string, string>>, body: CurlBody): string {
  const lines = [`curl -sS -X POST ${shellQuote(url)}`, `-H ${shellQuote("content-type: application/json")}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if ("file" in body) {
    lines.push(`--data-binary @${shellQuote(body.file)}`);
    return lines.join(" \\\n  ");
  }
  lines.push("--data-binary @-");
  return `printf '%s' ${shellQuote(body.text)} |\n  ${lines.join(" \\\n  ")}`;
}
