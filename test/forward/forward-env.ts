// The forwarding tests' stack: the test's oidc-provider, an internal service per test, and the
// service environment (FORWARD_*) pointing at both.
import { afterAll, afterEach, beforeAll } from "vitest";
import { BASIC_SECRET, clientRegistrations, generateJwtKeys } from "../oauth/fixtures.js";
import { startAuthServer, type AuthServer } from "../support/auth-server.js";
import type { TestService } from "../support/service.js";
import { INTERNAL_RESOURCE, INTERNAL_SCOPE, startInternalService, type InternalService } from "./internal-service.js";

/** The Standard Webhooks secret the forwarded requests are signed with. */
export const FORWARD_SECRET = `whsec_${Buffer.from("forward-signing-key-0123456789ab").toString("base64")}`;

/** The service's forwarding environment against `as` and `internal`. */
export function forwardEnv(auth: AuthServer, target: InternalService, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FORWARD_URL: target.url,
    TOKEN_ENDPOINT: auth.tokenEndpoint,
    CLIENT_ID: "basic-client",
    CLIENT_SECRET: BASIC_SECRET,
    FORWARD_TOKEN_SCOPES: INTERNAL_SCOPE,
    FORWARD_TOKEN_AUDIENCE: INTERNAL_RESOURCE,
    FORWARD_SIGNING_SECRET: FORWARD_SECRET,
    ...extra,
  };
}


/** The running parts of a forwarding test file (see {@link useForwardStack}). */
export interface ForwardStack {
  /** oidc-provider, issuing JWT access tokens for the internal service (one per file). */
  readonly as: AuthServer;
  /** The internal service of the running test. */
  readonly internal: InternalService;
  /** Starts a new internal service, then the service `startService` makes from the forwarding environment (plus `extra`). */
  start(startService: (env: Record<string, string>) => Promise<TestService>, extra?: Record<string, string>): Promise<TestService>;
}

/** Registers the hooks of a forwarding test file: the authorization server for the file, services and internal service closed after each test. */
export function useForwardStack(): ForwardStack {
  let as: AuthServer | undefined;
  let internal: InternalService | undefined;
  let services: TestService[] = [];
  beforeAll(async () => {
    as = await startAuthServer({ clients: clientRegistrations(generateJwtKeys()), extraResources: { [INTERNAL_RESOURCE]: INTERNAL_SCOPE } });
  });
  afterEach(async () => {
    await Promise.all(services.map((service) => service.shutdown()));
    services = [];
    await internal?.close();
  });
  afterAll(() => as?.close());
  const running = <T>(part: T | undefined, name: string): T => {
    if (part === undefined) throw new Error(`the forward stack's ${name} is not running`);
    return part;
  };
  return {
    get as() {
      return running(as, "authorization server");
    },
    get internal() {
      return running(internal, "internal service");
    },
    async start(startService, extra = {}) {
      internal = await startInternalService(running(as, "authorization server"));
      const service = await startService(forwardEnv(as!, internal, extra));
      services.push(service);
      return service;
    },
  };
}
