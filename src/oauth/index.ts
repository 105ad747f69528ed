// Public surface of the client-credentials token flow (README, "Connecting to a real provider").
export { createTokenProvider } from "./token-provider.js";
export type { TokenProvider } from "./token-provider.js";
export type { ClientAuthOptions, ClientSecretAuth, PrivateKeyJwtAuth, TlsClientAuthOptions, TokenProviderOptions } from "./options.js";
export { TokenError, TokenErrorCode } from "./errors.js";
export type { TokenErrorDetails } from "./errors.js";
export { createHttpClient } from "../http-client/http-client.js";
export type { HttpClient, HttpClientOptions, HttpFetch, HttpTlsOptions } from "../http-client/http-client.js";
