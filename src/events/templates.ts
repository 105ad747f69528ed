// One example event per known OpenAI event type, for `trigger` and the dev tools: the envelope
// without its per-delivery parts (id, created_at), which buildEvent fills in fresh.
import { randomUUID } from "node:crypto";
import type { ObjectIdData, OpenAIEventMap, OpenAIEventType } from "./openai-events.js";

/** The parts of an event of type `T` that do not change between deliveries. */
export type EventTemplate<T extends OpenAIEventType> = Omit<OpenAIEventMap[T], "id" | "created_at">;

/** The types whose `data` is exactly {@link ObjectIdData}. */
type IdOnlyEventType = {
  [T in OpenAIEventType]: OpenAIEventMap[T]["data"] extends ObjectIdData ? (ObjectIdData extends OpenAIEventMap[T]["data"] ? T : never) : never;
}[OpenAIEventType];

/** A template whose data only names the object (no cast: the map below checks it against its type). */
const idOf = <T extends IdOnlyEventType>(type: T, id: string) => ({ object: "event" as const, type, data: { id } });

/**
 * The template of every known event type (README, "Five minutes to a verified event", step 6). Typed against
 * {@link OpenAIEventMap}: a type added to the map without a template, or a template whose shape
 * drifts from its type, fails the typecheck.
 */
export const EVENT_TEMPLATES: { readonly [T in OpenAIEventType]: EventTemplate<T> } = {
  "response.completed": idOf("response.completed", "resp_68e77f1d302237dd9583af0c5acef0f4711f3a5044eb2047"),
  "response.failed": idOf("response.failed", "resp_68e784b47669e913c5d16f8c5744ee5ec79fbd3797743610"),
  "response.cancelled": idOf("response.cancelled", "resp_68e78a6f1b7ff47df209323b27cf538fdfe0dc8a3c5ec865"),
  "response.incomplete": idOf("response.incomplete", "resp_68e78f2c1ba073ba63f2ebff88d30c6660ba6c84df50e812"),
  "batch.completed": idOf("batch.completed", "batch_68e794044e144e34d8731febfe9ebd37"),
  "batch.failed": idOf("batch.failed", "batch_68e798c7a2d2501e257b5c39b1e191e9"),
  "batch.expired": idOf("batch.expired", "batch_68e79df51e1a61a9f017247caf24c3bb"),
  "batch.cancelled": idOf("batch.cancelled", "batch_68e7a50f7715b7301b47fbf89a8fb97c"),
  "fine_tuning.job.succeeded": idOf("fine_tuning.job.succeeded", "ftjob-vkqr4wdqbR4m8RrtPHtKOeCd"),
  "fine_tuning.job.failed": idOf("fine_tuning.job.failed", "ftjob-piS3e5RiSoZ69bDyFYu93Rn4"),
  "fine_tuning.job.cancelled": idOf("fine_tuning.job.cancelled", "ftjob-Qm7xK2pLr9TfW4vN8cYbHd3E"),
  "eval.run.succeeded": idOf("eval.run.succeeded", "evalrun_68e7b78ee98228c30815f125b7fbb94b"),
  "eval.run.failed": idOf("eval.run.failed", "evalrun_68e7bccaae00365aa6d6bc44aaee4eff"),
  "eval.run.canceled": idOf("eval.run.canceled", "evalrun_68e7be41a3c481908d2e5f7b1c6a9e04"),
  "realtime.call.incoming": {
    object: "event",
    type: "realtime.call.incoming",
    data: {
      call_id: "rtc_452ccfc4dc5ad061450faeff2ff36536",
      sip_headers: [
        { name: "From", value: '"Alex Morgan" <sip:+14155550123@sip.example.com>;tag=6b1c8879' },
        { name: "To", value: "<sip:proj_u6CeJ0yv9p5gyWPwOkWKiXHh@sip.api.openai.com;transport=tls>" },
        { name: "Call-ID", value: "6bba7a50-f6fa-4bb4-b5e1-4303c56b704e" },
      ],
    },
  },
};

/** A new event id in OpenAI's shape: `evt_` and 32 hex digits. */
export function newEventId(): string {
  return `evt_${randomUUID().replaceAll("-", "")}`;
}

/**
 * A new event of `type` from its template, with a fresh id and `created_at` = `nowSeconds`.
 * The result is a deep copy: changing it leaves the template alone.
 */
export function buildEvent<T extends OpenAIEventType>(type: T, nowSeconds: number, id: string = newEventId()): OpenAIEventMap[T] {
  const { object, type: name, data } = structuredClone(EVENT_TEMPLATES[type]) as EventTemplate<OpenAIEventType>;
  return { id, object, created_at: nowSeconds, type: name, data } as OpenAIEventMap[T];
}

/** Whether `name` is a type with a template. */
export function isTemplateType(name: string): name is OpenAIEventType {
  return Object.hasOwn(EVENT_TEMPLATES, name);
}
