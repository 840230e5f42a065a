import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configSchema, describeIssues, type MpkitConfig } from "./schema.js";
import { generateSecret, hashSecret } from "./secrets.js";

/** Thrown for an unreadable or invalid config; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses and validates a config object, reporting every problem at once. */
export function parseConfig(value: unknown, source: string): MpkitConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(`invalid config in ${source}:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Reads a `--config` file. */
export function readConfigFile(path: string): MpkitConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(value, path);
}

/** Credentials created on first start, shown to the user once. */
export interface GeneratedCredentials {
  readonly projectId: number;
  readonly token: string;
  readonly apiSecret: string;
  readonly username: string;
  readonly secret: string;
}

/**
 * Without `--config`, the first start creates one project and one owner service account, stores them
 * (secrets hashed) in the data directory, and returns the clear-text credentials for printing once.
 */
export function loadOrCreateDefaultConfig(dataDir: string): {
  config: MpkitConfig;
  generated?: GeneratedCredentials;
} {
  const path = join(dataDir, "mpkit.config.json");
  if (existsSync(path)) return { config: readConfigFile(path) };
  mkdirSync(dataDir, { recursive: true });
  const generated: GeneratedCredentials = {
    projectId: 1,
    token: generateSecret(),
    apiSecret: generateSecret(),
    username: "mpkit-owner",
    secret: generateSecret(),
  };
  const stored = {
    organization: { id: 1, name: "mpkit" },
    projects: [
      {
        id: 1,
        name: "Default",
        token: generated.token,
        apiSecretHash: hashSecret(generated.apiSecret),
        timezone: "UTC",
        identityMerge: "simplified",
      },
    ],
    serviceAccounts: [
      {
        username: generated.username,
        secretHash: hashSecret(generated.secret),
        projects: [{ id: 1, role: "owner" }],
      },
    ],
  };
  writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return { config: parseConfig(stored, path), generated };
}
