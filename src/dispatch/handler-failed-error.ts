// The error collecting every failure of one event's handlers (octokit's AggregateError style).
import { ErrorCode } from "../errors.js";
import { ClassifiedHandlerError } from "./classified-handler-error.js";

function classified(errors: readonly unknown[]): ClassifiedHandlerError[] | undefined {
  if (errors.length === 0 || !errors.every((error) => error instanceof ClassifiedHandlerError)) return undefined;
  return errors as ClassifiedHandlerError[];
}

/** Every handler failure of one delivery, with the event's id and type (never its body). */
export class HandlerFailedError extends AggregateError {
  readonly code = ErrorCode.HANDLER_FAILED;
  readonly eventId: string;
  readonly eventType: string;

  constructor(errors: readonly unknown[], eventId: string, eventType: string) {
    super(errors, `${errors.length} handler(s) failed for ${eventType} ${eventId}`);
    this.name = "HandlerFailedError";
    this.eventId = eventId;
    this.eventType = eventType;
  }

  /** True when every failure is a {@link ClassifiedHandlerError} that a later try may pass. */
  get retryable(): boolean {
    return classified(this.errors)?.every((error) => error.retryable) ?? false;
  }

  /** True when every failure is a {@link ClassifiedHandlerError} that no later try can pass. */
  get permanent(): boolean {
    return classified(this.errors)?.every((error) => !error.retryable) ?? false;
  }

  /** The longest wait any failure asked for (`Retry-After`), if one did. */
  get retryAfterMs(): number | undefined {
    let longest: number | undefined;
    for (const error of this.errors) {
      if (error instanceof ClassifiedHandlerError && error.retryAfterMs !== undefined) longest = Math.max(longest ?? 0, error.retryAfterMs);
    }
    return longest;
  }
}
