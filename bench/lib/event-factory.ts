// Unique, fixed-size ChatGPT-style event bodies: one template per size, only the event id changes.
import { randomBytes } from "node:crypto";

/** One generated delivery body and its event id. */
export interface GeneratedEvent {
  readonly id: string;
  readonly body: Buffer;
}

/** Produces a new unique event of the same size on every call. */
export type EventFactory = () => GeneratedEvent;

const ID_PLACEHOLDER = "@@EVENT_ID@@";
const COUNTER_DIGITS = 12;
const SENTENCE = "The quick brown fox jumps over the lazy dog while the receiver verifies every byte. ";

function template(sizeBytes: number, idLength: number): { before: Buffer; after: Buffer } {
  const head = { id: ID_PLACEHOLDER, object: "event", created_at: 1760001821, type: "response.completed" };
  const build = (output: string[], note: string): string =>
    JSON.stringify({ ...head, data: { id: "resp_bench_0000000000000000", status: "completed", output, note } });
  const output: string[] = [];
  const sizeWith = (items: string[], note: string): number => Buffer.byteLength(build(items, note)) - ID_PLACEHOLDER.length + idLength;
  // Realistic-ish content: many short text items (what JSON parsers see in real events), then an exact-size note.
  while (sizeWith([...output, SENTENCE], "") <= sizeBytes - 16) output.push(SENTENCE);
  const missing = sizeBytes - sizeWith(output, "");
  if (missing < 0) throw new Error(`body size ${sizeBytes} is too small for the event template`);
  const [before, after] = build(output, "n".repeat(missing)).split(ID_PLACEHOLDER) as [string, string];
  return { before: Buffer.from(before), after: Buffer.from(after) };
}

/**
 * Creates a factory of `sizeBytes`-byte events whose `id` is unique across factories and runs
 * (a random run tag plus a counter), so the receiver never sees a duplicate.
 */
export function createEventFactory(sizeBytes: number): EventFactory {
  const prefix = `evt_${randomBytes(6).toString("hex")}_`;
  const { before, after } = template(sizeBytes, prefix.length + COUNTER_DIGITS);
  let counter = 0;
  return () => {
    counter += 1;
    const id = `${prefix}${String(counter).padStart(COUNTER_DIGITS, "0")}`;
    return { id, body: Buffer.concat([before, Buffer.from(id), after]) };
  };
}
