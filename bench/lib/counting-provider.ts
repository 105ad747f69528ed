// The dev stack's local provider (token + key endpoints) run in this process, counting the requests it serves.
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { createDevState } from "../../src/dev/dev-state.js";
import { localProviderEnv, startLocalProvider, type LocalProvider } from "../../src/dev/local-provider.js";

/** A local provider plus request counters and the env that points our service at it. */
export interface CountingProvider {
  readonly provider: LocalProvider;
  /** The signing secret (the provider's current key), used as UTF-8 bytes by the chatgpt scheme. */
  readonly signingSecret: string;
  /** Requests served so far to the token endpoint and to the key endpoint. */
  counts(): { readonly token: number; readonly keys: number };
  /** `performance.now()` when the first key request arrived, if one did. */
  firstKeyRequestAt(): number | undefined;
  /** The service settings of the remote-key flow (as `dev` sets them). */
  readonly serviceEnv: Readonly<Record<string, string | undefined>>;
  close(): Promise<void>;
}

const listeners = new Map<number, (path: string) => void>();
let subscribed = false;

/** One subscription to Node's HTTP server channel, dispatching by the local port of each request. */
function onServerRequest(port: number, listener: (path: string) => void): void {
  listeners.set(port, listener);
  if (subscribed) return;
  subscribed = true;
  subscribe("http.server.request.start", (message) => {
    const request = (message as { request: IncomingMessage }).request;
    const localPort = request.socket.localPort;
    if (localPort !== undefined) listeners.get(localPort)?.(request.url?.split("?")[0] ?? "");
  });
}

/** Starts a provider with a fresh state in `stateDir`. */
export async function startCountingProvider(stateDir: string): Promise<CountingProvider> {
  const state = createDevState();
  const provider = await startLocalProvider({ state, stateDir });
  const tokenPath = new URL(provider.tokenEndpoint).pathname;
  const keyPath = new URL(provider.keyUrl).pathname;
  const port = Number(new URL(provider.keyUrl).port);
  let token = 0;
  let keys = 0;
  let firstKey: number | undefined;
  onServerRequest(port, (path) => {
    if (path === tokenPath) token += 1;
    else if (path === keyPath) {
      keys += 1;
      firstKey ??= performance.now();
    }
  });
  const signingSecret = state.keys[0]?.secret;
  if (signingSecret === undefined) throw new Error("the dev state has no key");
  return {
    provider,
    signingSecret,
    counts: () => ({ token, keys }),
    firstKeyRequestAt: () => firstKey,
    serviceEnv: localProviderEnv(provider),
    close: async () => {
      listeners.delete(port);
      await provider.close();
    },
  };
}
