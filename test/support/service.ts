// Starting the real service on 127.0.0.1:0 for a test, with captured logs, and posting to it.
import { Writable } from "node:stream";
import pino from "pino";
import { loadServiceConfig } from "../../src/config/env.js";
import { REDACT_PATHS } from "../../src/observability/logger.js";
import { startService, type RunningService, type ServiceOverrides } from "../../src/service/start-service.js";

export const TEST_SECRET = "test-secret-0123456789abcdef";
export const WEBHOOK_PATH = "/webhooks/chatgpt";

export interface TestService extends RunningService {
  readonly webhookUrl: string;
  /** Every log line written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** The raw log text (to assert that no secret appears). */
  rawLogs(): string;
  post(body: Buffer | string, headers: Record<string, string>, contentType?: string): Promise<Response>;
}

/** Starts the service with `env` on top of test defaults. Stop it with `shutdown()`. */
export async function startTestService(
  env: Record<string, string | undefined> = {},
  overrides: ServiceOverrides = {},
): Promise<TestService> {
  const config = loadServiceConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    WEBHOOK_SECRET: TEST_SECRET,
    RATE_LIMIT_PER_MINUTE: "100000",
    RATE_LIMIT_FAILURES_PER_MINUTE: "100000",
    ...env,
  });
  const chunks: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString("utf8");
      chunks.push(text);
      for (const line of text.split("\n")) if (line.trim() !== "") logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: "debug", redact: { paths: [...REDACT_PATHS], censor: "[redacted]" } }, sink);
  const service = await startService(config, logger, overrides);
  const webhookUrl = `${service.url}${config.path}`;
  return {
    ...service,
    webhookUrl,
    logs,
    rawLogs: () => chunks.join(""),
    post: (body, headers, contentType = "application/json") =>
      fetch(webhookUrl, { method: "POST", body, headers: { "content-type": contentType, ...headers } }),
  };
}
