// The error collecting every failure of one event's handlers (octokit's AggregateError style).
import { ErrorCode } from "../errors.js";

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
}
