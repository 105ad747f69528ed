// The token client's authentication from its settings and files, built the same way at start and
// on every re-read of a file (README, "Secrets from files").
import { ConfigError } from "../errors.js";
import type { ClientAuthOptions, PrivateKeyJwtAuth } from "../oauth/options.js";
import { parseSecretList } from "./secret-file.js";

/** The variables naming files the client authentication is read from. */
export const AUTH_FILE_VARIABLES = ["CLIENT_SECRET_FILE", "CLIENT_PRIVATE_KEY_FILE", "CLIENT_CERT_FILE", "CLIENT_KEY_FILE", "CA_FILE"] as const;
export type AuthFileVariable = (typeof AUTH_FILE_VARIABLES)[number];

/** Everything but the files' contents: the method, plain settings and the files' paths. */
export interface ClientAuthSource {
  readonly method: ClientAuthOptions["method"];
  /** `CLIENT_SECRET` when the secret is not read from `CLIENT_SECRET_FILE`. */
  readonly clientSecret?: string;
  readonly alg: PrivateKeyJwtAuth["alg"];
  readonly keyId: string | undefined;
  readonly assertionAudience: string | undefined;
  /** The path of each file variable that is set. */
  readonly files: Readonly<Partial<Record<AuthFileVariable, string>>>;
}

/** The secret of `CLIENT_SECRET_FILE`: exactly one (the client presents one). */
function clientSecretFrom(content: string): string {
  const secrets = parseSecretList(content);
  if (secrets.length !== 1) throw new ConfigError("CLIENT_SECRET_FILE", `must hold exactly one secret (found ${secrets.length})`);
  return secrets[0] as string;
}

/**
 * Builds the client authentication from `source` and the files' text (`read` is called only for
 * files that are set and needed by the method).
 * @throws ConfigError naming the variable at fault (never a secret)
 */
export function buildClientAuth(source: ClientAuthSource, read: (variable: AuthFileVariable, path: string) => string): ClientAuthOptions {
  const file = (variable: AuthFileVariable): string => {
    const path = source.files[variable];
    if (path === undefined) throw new ConfigError(variable, `is required with CLIENT_AUTH_METHOD=${source.method}`);
    return read(variable, path);
  };
  switch (source.method) {
    case "client_secret_basic":
    case "client_secret_post": {
      const clientSecret = source.clientSecret ?? (source.files.CLIENT_SECRET_FILE === undefined ? undefined : clientSecretFrom(file("CLIENT_SECRET_FILE")));
      if (clientSecret === undefined) throw new ConfigError("CLIENT_SECRET", `is required with CLIENT_AUTH_METHOD=${source.method}`);
      return { method: source.method, clientSecret };
    }
    case "private_key_jwt":
      return {
        method: source.method,
        privateKeyPem: file("CLIENT_PRIVATE_KEY_FILE"),
        alg: source.alg,
        keyId: source.keyId,
        assertionAudience: source.assertionAudience,
      };
    case "tls_client_auth":
      return {
        method: source.method,
        certPem: file("CLIENT_CERT_FILE"),
        keyPem: file("CLIENT_KEY_FILE"),
        caPem: source.files.CA_FILE === undefined ? undefined : file("CA_FILE"),
      };
  }
}

/** The files `source.method` reads (their paths, by variable). */
export function usedAuthFiles(source: ClientAuthSource): Map<AuthFileVariable, string> {
  const used: Record<ClientAuthOptions["method"], readonly AuthFileVariable[]> = {
    client_secret_basic: ["CLIENT_SECRET_FILE"],
    client_secret_post: ["CLIENT_SECRET_FILE"],
    private_key_jwt: ["CLIENT_PRIVATE_KEY_FILE"],
    tls_client_auth: ["CLIENT_CERT_FILE", "CLIENT_KEY_FILE", "CA_FILE"],
  };
  const files = new Map<AuthFileVariable, string>();
  for (const variable of used[source.method]) {
    const path = source.files[variable];
    if (path !== undefined) files.set(variable, path);
  }
  return files;
}
