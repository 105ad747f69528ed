// The key replay signs with: --secret, or the dev provider's current key fetched through the
// client-credentials flow (the same token -> key path the receiver uses in production).
import { readDevState, type DevState } from "../../dev/dev-state.js";
import { createRemoteKeySource } from "../../keys/remote-key-source.js";
import { createTokenProvider } from "../../oauth/index.js";
import { UsageError } from "../usage-error.js";

/** Loads the dev stack's state. @throws UsageError when `dev` has not run in `stateDir`. */
export async function requireDevState(stateDir: string): Promise<DevState & { endpoints: NonNullable<DevState["endpoints"]> }> {
  const state = await readDevState(stateDir);
  if (state?.endpoints === undefined) {
    throw new UsageError(`no running dev stack found in ${stateDir}/ (start "npm run dev" first, or pass --secret and --url)`);
  }
  return state as DevState & { endpoints: NonNullable<DevState["endpoints"]> };
}

/** Fetches the provider's signing key (the first, newest key) with a client-credentials token. */
export async function fetchDevSigningKey(state: DevState & { endpoints: NonNullable<DevState["endpoints"]> }): Promise<string> {
  const tokens = createTokenProvider({
    tokenEndpoint: state.endpoints.tokenEndpoint,
    clientId: state.clientId,
    scopes: ["webhooks:verify"],
    audience: state.endpoints.resource,
    auth: { method: "client_secret_basic", clientSecret: state.clientSecret },
    maxRetries: 1,
  });
  const keys = createRemoteKeySource({ keyUrl: state.endpoints.keyUrl, tokenProvider: tokens, maxFailureBackoffSeconds: 1 });
  try {
    if (!(await keys.warmUp())) throw new Error(`could not get a key from ${state.endpoints.keyUrl} (is "npm run dev" still running?): ${keys.readiness().reason ?? "unknown error"}`);
    const current = keys.getKeys();
    const first = Array.isArray(current) ? (current as readonly { secret: string }[])[0] : undefined;
    if (first === undefined) throw new Error("the dev provider served no key");
    return first.secret;
  } finally {
    await keys.close();
    await tokens.close();
  }
}
