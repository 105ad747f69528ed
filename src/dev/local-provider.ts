// The dev stack's provider: the authorization server plus the key endpoint and a rotation endpoint, on one port.
import type { IncomingMessage, ServerResponse } from "node:http";
import { startAuthorizationServer } from "./authorization-server.js";
import { createBearerVerifier } from "./bearer-verifier.js";
import { readDevState, rotateDevKey, writeDevState, type DevState } from "./dev-state.js";
import { rotateRefusal } from "./rotate-guard.js";

/** The resource indicator of the dev key endpoint (the access tokens' audience). */
export const DEV_RESOURCE = "urn:chatgpt-webhook-receiver:dev-keys";
const KEY_PATH = "/v1/webhook-keys";
const ROTATE_PATH = "/dev/rotate-key";

/** A running local provider. */
export interface LocalProvider {
  readonly tokenEndpoint: string;
  readonly keyUrl: string;
  readonly rotateUrl: string;
  readonly resource: string;
  /** The current state (keys change on rotation). */
  state(): DevState;
  close(): Promise<void>;
}

/**
 * The environment that points a receiver at the local provider through the real remote-key flow
 * (WEBHOOK_KEY_URL + client credentials), as `dev` and the benchmarks configure it.
 */
export function localProviderEnv(provider: LocalProvider): Record<string, string | undefined> {
  const state = provider.state();
  return {
    WEBHOOK_SECRET: undefined,
    WEBHOOK_KEY_URL: provider.keyUrl,
    TOKEN_ENDPOINT: provider.tokenEndpoint,
    TOKEN_AUDIENCE: provider.resource,
    TOKEN_SCOPES: "webhooks:verify",
    CLIENT_ID: state.clientId,
    CLIENT_SECRET: state.clientSecret,
    CLIENT_AUTH_METHOD: "client_secret_basic",
  };
}

/** Options of {@link startLocalProvider}. */
export interface LocalProviderOptions {
  readonly state: DevState;
  /** Where rotations are saved. */
  readonly stateDir: string;
  readonly port?: number;
  /** How long a replaced key stays valid. Defaults to 3600 s. */
  readonly rotationGraceSeconds?: number;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
}

/** Starts oidc-provider with the dev client, and serves the keys to bearer tokens with `webhooks:verify`. */
export async function startLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  let state = options.state;
  // The token checker needs the issuer's URL and keys, known once the server listens.
  const bearer: { verify?: (authorization: string | undefined) => Promise<string | undefined> } = {};
  const origin = { value: "" }; // the provider's own origin, the only one allowed to rotate

  const serveKeys = (req: IncomingMessage, res: ServerResponse): void => {
    void (bearer.verify?.(req.headers.authorization) ?? Promise.resolve(undefined)).then((token) => {
      if (token === undefined) return json(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
      const now = Date.now();
      const keys = state.keys.filter((key) => key.expires_at === undefined || Date.parse(key.expires_at) > now);
      json(res, 200, { keys: keys.map(({ id, secret, expires_at }) => ({ id, secret, expires_at })) }, { "cache-control": "max-age=60" });
    });
  };

  const rotate = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    const refusal = rotateRefusal(req.headers, origin.value, state.devToken);
    if (refusal !== undefined) {
      const message = refusal === "dev_token_required" ? "send the x-dev-token printed by dev" : "cross-origin requests are refused";
      return json(res, 403, { error: refusal, message });
    }
    state = rotateDevKey(state, new Date(), options.rotationGraceSeconds ?? 3600);
    // Keep what else the file holds (the endpoints the dev command wrote for `replay`).
    void readDevState(options.stateDir)
      .then((onDisk) => writeDevState(options.stateDir, { ...onDisk, ...state }))
      .then(
        () => json(res, 200, { rotated: true, signing_key: state.keys[0]?.id, valid_keys: state.keys.map((key) => key.id) }),
        (error: unknown) => json(res, 500, { error: "state_not_saved", message: String(error) }),
      );
  };

  const server = await startAuthorizationServer({
    clients: [
      {
        client_id: state.clientId,
        client_secret: state.clientSecret,
        token_endpoint_auth_method: "client_secret_basic",
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
      },
    ],
    resource: DEV_RESOURCE,
    port: options.port,
    intercept: (req, res) => {
      const path = req.url?.split("?")[0];
      if (path === KEY_PATH && req.method === "GET") return serveKeys(req, res), true;
      if (path === ROTATE_PATH && req.method === "POST") return rotate(req, res), true;
      return false;
    },
  });
  origin.value = new URL(server.issuer).origin;
  bearer.verify = createBearerVerifier({ issuer: server.issuer, jwks: server.jwks, audience: DEV_RESOURCE, scope: "webhooks:verify" });
  return {
    tokenEndpoint: server.tokenEndpoint,
    keyUrl: `${server.issuer}${KEY_PATH}`,
    rotateUrl: `${server.issuer}${ROTATE_PATH}`,
    resource: DEV_RESOURCE,
    state: () => state,
    close: () => server.close(),
  };
}
