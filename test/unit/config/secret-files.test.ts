// Secrets from files at start: the file's format, X and X_FILE together refused, empty or unreadable files refused.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadServiceConfig } from "../../../src/config/env.js";
import { parseSecretList } from "../../../src/config/secret-file.js";
import { ConfigError } from "../../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "cwr-secret-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OLD = "old-webhook-secret-0123456789abcdef";
const NEW = "new-webhook-secret-0123456789abcdef";
const CLIENT_SECRET = "client-secret-from-file-0123456789";
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const REMOTE = {
  WEBHOOK_KEY_URL: "https://provider.example/v1/webhook-keys",
  TOKEN_ENDPOINT: "https://auth.example/oauth/token",
  CLIENT_ID: "client-1",
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadServiceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the secret file format", () => {
  it("takes one secret per line or comma-separated, ignoring blank lines and whitespace", () => {
    expect(parseSecretList(`\n  ${OLD}  \r\n\n${NEW}, third-one ,\n\n`)).toEqual([OLD, NEW, "third-one"]);
    expect(parseSecretList(" \n,\n")).toEqual([]);
  });
});

describe("WEBHOOK_SECRET_FILE", () => {
  it("reads the secrets and remembers the path", () => {
    const path = file("webhook-secret", `${OLD}\n${NEW}\n`);
    const { keys } = loadServiceConfig({ WEBHOOK_SECRET_FILE: path });
    expect(keys).toMatchObject({ kind: "static", secrets: [OLD, NEW], file: { path } });
  });

  it.each([
    ["WEBHOOK_SECRET", { WEBHOOK_SECRET: OLD, WEBHOOK_SECRET_FILE: join(dir, "any") }, "WEBHOOK_SECRET_FILE"],
    ["WEBHOOK_SECRET_FILE", { WEBHOOK_SECRET_FILE: join(dir, "any"), ...REMOTE, CLIENT_SECRET }, "WEBHOOK_KEY_URL"],
    ["CLIENT_SECRET", { ...REMOTE, CLIENT_SECRET, CLIENT_SECRET_FILE: join(dir, "any") }, "CLIENT_SECRET_FILE"],
  ])("refuses %s together with %s, in one line naming both", (variable, env, other) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(other);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain(OLD);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it.each([
    ["an empty file", () => file("empty", "\n  \n")],
    ["a file with a short secret", () => file("short", `${OLD}\nshort\n`)],
    ["a missing file", () => join(dir, "missing")],
  ])("refuses %s, naming the variable and never the content", (_name, path) => {
    const error = configError({ WEBHOOK_SECRET_FILE: path() });
    expect(error.variable).toBe("WEBHOOK_SECRET_FILE");
    expect(error.message).not.toContain(OLD);
  });
});

describe("CLIENT_SECRET_FILE", () => {
  it("reads the one client secret", () => {
    const { keys } = loadServiceConfig({ ...REMOTE, CLIENT_SECRET_FILE: file("client-secret", `\n${CLIENT_SECRET}\n`) });
    expect(keys).toMatchObject({ kind: "remote", auth: { method: "client_secret_basic", clientSecret: CLIENT_SECRET } });
  });

  it.each([
    ["empty", "\n"],
    ["holding two secrets", `${CLIENT_SECRET}\nanother-client-secret-0123456789\n`],
  ])("refuses a file %s", (_name, text) => {
    const error = configError({ ...REMOTE, CLIENT_SECRET_FILE: file("client-secret-bad", text) });
    expect(error.variable).toBe("CLIENT_SECRET_FILE");
    expect(error.message).not.toContain(CLIENT_SECRET);
  });
});
