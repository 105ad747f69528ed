// The CLI's exit codes and the error that means "wrong usage" (exit 2).

/** Exit codes of every subcommand. */
export const ExitCode = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/** Wrong flags or arguments: printed with a hint to `--help`, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
