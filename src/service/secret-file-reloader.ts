// Applying re-read secret files while running: webhook secrets to the next delivery, client
// authentication to the next token request (README, "Secrets from files").
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { buildClientAuth, usedAuthFiles, type ClientAuthSource } from "../config/client-auth-files.js";
import type { SchemeName } from "../signature/scheme.js";
import { webhookSecretsFromFile } from "../config/secrets.js";
import { contentHash, watchFiles, type WatchedFiles } from "../config/watched-files.js";
import { ConfigError } from "../errors.js";
import type { StaticKeySource } from "../keys/static-key-source.js";
import type { ClientAuthOptions } from "../oauth/options.js";
import { createSecretReloadMetrics } from "../observability/secret-reload-metrics.js";

/** A webhook secret file and the key source it feeds. */
export interface WebhookSecretFile {
  readonly path: string;
  readonly hash: string;
  readonly scheme: SchemeName;
  readonly source: StaticKeySource;
}

/** The client authentication files and the token provider they feed. */
export interface ClientAuthFiles {
  readonly source: ClientAuthSource;
  readonly fileHashes: ReadonlyMap<string, string>;
  readonly tokens: { updateAuth(auth: ClientAuthOptions): void };
}

/** Options of {@link startSecretFileReloader}. */
export interface SecretFileReloaderOptions {
  readonly webhookSecret?: WebhookSecretFile;
  readonly clientAuth?: ClientAuthFiles;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The fallback poll of every file. Defaults to 30000 ms. */
  readonly pollIntervalMs?: number;
}

/** Re-reads of the service's secret files. */
export interface SecretFileReloader {
  /** Re-reads every file now (as `SIGHUP` does) and resolves once changes are applied. */
  reload(): Promise<void>;
  /** Stops watching (and listening for `SIGHUP`). */
  close(): void;
}

/** A group of files applied together, with the variable each path belongs to. */
interface Group {
  readonly variables: ReadonlyMap<string, string>;
  readonly initial: ReadonlyMap<string, string>;
  apply(contents: ReadonlyMap<string, string>): void;
}

/**
 * Watches the files of `options` (their folders, `SIGHUP`, a poll) and applies every change. A file
 * that cannot be read or is refused keeps the previous value: logged at error with the variable,
 * the path and the reason (never the content), and counted.
 * @returns `undefined` when no secret comes from a file
 */
export function startSecretFileReloader(options: SecretFileReloaderOptions): SecretFileReloader | undefined {
  const logger = options.logger.child({ component: "secret-files" });
  const metrics = createSecretReloadMetrics(options.registry);
  const groups: Group[] = [];
  const webhook = options.webhookSecret;
  if (webhook !== undefined) {
    groups.push({
      variables: new Map([[webhook.path, "WEBHOOK_SECRET_FILE"]]),
      initial: new Map([[webhook.path, webhook.hash]]),
      apply: (contents) => webhook.source.replace(webhookSecretsFromFile(contents.get(webhook.path) ?? "", webhook.scheme)),
    });
  }
  const auth = options.clientAuth;
  const authFiles = auth === undefined ? new Map<string, string>() : usedAuthFiles(auth.source);
  if (auth !== undefined && authFiles.size > 0) {
    groups.push({
      variables: new Map([...authFiles].map(([variable, path]) => [path, variable])),
      initial: auth.fileHashes,
      apply: (contents) => auth.tokens.updateAuth(buildClientAuth(auth.source, (_variable, path) => contents.get(path) ?? "")),
    });
  }
  if (groups.length === 0) return undefined;

  const watched: WatchedFiles[] = groups.map((group) => {
    const applied = new Map(group.initial);
    const pathOf = new Map([...group.variables].map(([path, variable]) => [variable, path]));
    return watchFiles({
      paths: [...group.variables.keys()],
      initial: group.initial,
      pollIntervalMs: options.pollIntervalMs,
      onReadError: ({ path, code }) => {
        const variable = group.variables.get(path) ?? "unknown";
        metrics.failed(variable, "unreadable");
        logger.error({ variable, path, code }, "secret file unreadable: the previous value stays");
      },
      onChange: (contents) => {
        const changed = [...contents].filter(([path, content]) => applied.get(path) !== contentHash(content)).map(([path]) => path);
        try {
          group.apply(contents);
        } catch (error) {
          const variable = error instanceof ConfigError ? error.variable : (group.variables.get(changed[0] ?? "") ?? "unknown");
          const reason = error instanceof ConfigError ? error.message : "refused";
          metrics.failed(variable, "invalid");
          logger.error({ variable, path: pathOf.get(variable), reason }, "secret file invalid: the previous value stays");
          throw error;
        }
        for (const path of changed) {
          const content = contents.get(path) ?? "";
          applied.set(path, contentHash(content));
          const variable = group.variables.get(path) ?? "unknown";
          metrics.reloaded(variable);
          logger.info({ variable, path }, "secret file reloaded");
        }
      },
    });
  });

  const reload = async (): Promise<void> => {
    await Promise.all(watched.map((files) => files.check()));
  };
  const onSignal = (): void => void reload();
  process.on("SIGHUP", onSignal);
  return {
    reload,
    close() {
      process.removeListener("SIGHUP", onSignal);
      for (const files of watched) files.close();
    },
  };
}
