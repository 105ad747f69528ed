// Cold start: N concurrent deliveries against a fresh service with remote keys; count token and key requests.
import { Agent, request } from "node:http";
import { join } from "node:path";
import { startCountingProvider } from "./counting-provider.js";
import { createEventFactory } from "./event-factory.js";
import { counterSum } from "./metrics-text.js";
import { chatgptSigner } from "./signers.js";
import { startServiceTarget } from "./start-service-target.js";

/** What the cold-start check saw. */
export interface ColdStartResult {
  readonly deliveries: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Requests the provider served to the token endpoint and the key endpoint. */
  readonly tokenRequests: number;
  readonly keyRequests: number;
  /** The same, as the service's own /metrics counted them. */
  readonly metricsTokenRequests: number | undefined;
  readonly metricsKeyFetches: number | undefined;
  /** From the first request sent to the last answer. */
  readonly elapsedMs: number;
  /**
   * When the first key request reached the provider, relative to the first delivery sent (ms):
   * positive means the deliveries really met cold caches. The service starts loading keys as
   * soon as it listens, so the deliveries are sent as early as possible (5 ms /healthz polls).
   */
  readonly firstKeyRequestAfterFirstDeliveryMs: number | undefined;
}

function post(agent: Agent, url: URL, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": String(body.length) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/**
 * Starts a provider and a fresh service (waiting only for /healthz, so no key is loaded by us),
 * then sends `deliveries` signed events at once on as many connections.
 */
export async function runColdStart(workDir: string, deliveries: number): Promise<ColdStartResult> {
  const provider = await startCountingProvider(join(workDir, "cold-provider"));
  const signer = chatgptSigner(provider.signingSecret);
  const events = createEventFactory(1024);
  // Signed before the service starts, so sending begins the moment it listens (well within the tolerance).
  const prepared = Array.from({ length: deliveries }, () => {
    const event = events();
    return { headers: signer(event.body, event.id), body: event.body };
  });
  const target = await startServiceTarget(workDir, "cold-start", provider.serviceEnv, signer, "/healthz", 5);
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  try {
    const url = new URL(target.url);
    const started = performance.now();
    const statuses = await Promise.all(prepared.map((delivery) => post(agent, url, delivery.headers, delivery.body)));
    const elapsedMs = performance.now() - started;
    const statusCodes: Record<string, number> = {};
    for (const status of statuses) statusCodes[String(status)] = (statusCodes[String(status)] ?? 0) + 1;
    const metrics = await (await fetch(`${url.origin}/metrics`)).text();
    const { token, keys } = provider.counts();
    const firstKey = provider.firstKeyRequestAt();
    return {
      deliveries,
      statusCodes,
      tokenRequests: token,
      keyRequests: keys,
      metricsTokenRequests: counterSum(metrics, "webhook_token_requests_total"),
      metricsKeyFetches: counterSum(metrics, "webhook_key_fetches_total"),
      elapsedMs,
      firstKeyRequestAfterFirstDeliveryMs: firstKey === undefined ? undefined : firstKey - started,
    };
  } finally {
    agent.destroy();
    await target.stop();
    await provider.close();
  }
}
