// The dev stack's local state: generated client credentials and signing keys, kept across restarts
// in a git-ignored folder (never committed, readable by the owner only).
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { newDevToken } from "./rotate-guard.js";

/** Default folder of the state, relative to the working directory (listed in .gitignore). */
export const DEFAULT_STATE_DIR = ".dev-state";
const FILE = "dev.json";

/** One signing key of the dev provider. */
export interface DevKey {
  readonly id: string;
  readonly secret: string;
  readonly created_at: string;
  /** Set when a newer key replaced it: it stays valid until then (rotation grace). */
  readonly expires_at?: string;
}

/** Where the running dev stack listens (written at start, read by `replay`). */
export interface DevEndpoints {
  readonly webhookUrl: string;
  readonly scheme: string;
  readonly tokenEndpoint: string;
  readonly keyUrl: string;
  readonly resource: string;
  readonly rotateUrl: string;
}

/** Everything the dev stack keeps. */
export interface DevState {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Required (header `x-dev-token`) by the provider's POST /dev/rotate-key; printed by `dev`. */
  readonly devToken: string;
  /** Newest first. */
  readonly keys: readonly DevKey[];
  readonly endpoints?: DevEndpoints;
}

function newKey(now: Date): DevKey {
  return { id: `key_${randomBytes(6).toString("hex")}`, secret: `whsec_${randomBytes(32).toString("base64")}`, created_at: now.toISOString() };
}

/** A fresh state with generated credentials and one key. */
export function createDevState(now = new Date()): DevState {
  return {
    clientId: `dev-client-${randomBytes(4).toString("hex")}`,
    clientSecret: randomBytes(32).toString("base64url"),
    devToken: newDevToken(),
    keys: [newKey(now)],
  };
}

/**
 * Rotates: a new key becomes the first (signing) key; the previous ones stay valid for
 * `graceSeconds` (their `expires_at`), and keys already expired are dropped.
 */
export function rotateDevKey(state: DevState, now = new Date(), graceSeconds = 3600): DevState {
  const graceEnd = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const kept = state.keys
    .filter((key) => key.expires_at === undefined || Date.parse(key.expires_at) > now.getTime())
    .map((key) => (key.expires_at === undefined ? { ...key, expires_at: graceEnd } : key));
  return { ...state, keys: [newKey(now), ...kept] };
}

/** Reads the state in `dir`, or `undefined` when there is none (a state saved without a dev token gets a new one). */
export async function readDevState(dir: string): Promise<DevState | undefined> {
  try {
    const state = JSON.parse(await readFile(join(dir, FILE), "utf8")) as Omit<DevState, "devToken"> & { devToken?: string };
    return { ...state, devToken: state.devToken ?? newDevToken() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read the dev state in ${dir}/${FILE}: ${(error as Error).message}`);
  }
}

/** Writes the state (folder 0700, file 0600). */
export async function writeDevState(dir: string, state: DevState): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
