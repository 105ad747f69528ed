// Where things are: the repository root, the built CLI, the bench servers and handlers.
import { fileURLToPath } from "node:url";

/** The repository root (absolute, with a trailing slash). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The built CLI that `npm start` runs. */
export const DIST_CLI = `${REPO_ROOT}dist/cli/main.js`;
/** The no-op HANDLERS module. */
export const NOOP_HANDLERS = `${REPO_ROOT}bench/handlers/noop-handlers.js`;
/** A bench server file by name (`express-baseline`, ...). */
export const benchServer = (name: string): string => `${REPO_ROOT}bench/servers/${name}.ts`;
/** Where result files go (git-ignored). */
export const RESULTS_DIR = `${REPO_ROOT}bench/results`;
/** The built library entry (what a user imports), for the adapter servers. */
export const DIST_INDEX = `${REPO_ROOT}dist/index.js`;
/** The built service logger (redaction, batched stdout), so the adapter servers log as the service does. */
export const DIST_LOGGER = `${REPO_ROOT}dist/observability/logger.js`;
