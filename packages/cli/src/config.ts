import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ClientOptions } from "@mpkit/connector";
import { flag, type ParsedArgs } from "./args.js";
import { UsageError } from "./io.js";

/** One named profile in the config file. Keys mirror the flags. */
export interface Profile {
  region?: string;
  baseUrl?: string;
  projectId?: number | string;
  workspaceId?: number | string;
  serviceAccountUsername?: string;
  serviceAccountSecret?: string;
  apiSecret?: string;
  token?: string;
  oauthToken?: string;
}

/** `~/.config/mpkit/config.json`: `{ "default": "prod", "profiles": { "prod": {...} } }`. */
export interface ConfigFile {
  default?: string;
  profiles?: Record<string, Profile>;
}

/** The config file path: `--config`, `MPKIT_CONFIG`, or `$XDG_CONFIG_HOME/mpkit/config.json`. */
export function configPath(args: ParsedArgs, env: Record<string, string | undefined>): string {
  return (
    flag(args, "config") ??
    env["MPKIT_CONFIG"] ??
    join(env["XDG_CONFIG_HOME"] ?? join(env["HOME"] ?? homedir(), ".config"), "mpkit", "config.json")
  );
}

function readConfig(path: string, required: boolean): ConfigFile {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as ConfigFile;
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UsageError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Builds the connection from flags, then environment, then the named profile (first wins).
 * Secrets are never printed: errors name the setting, not its value.
 */
export function resolveConnection(args: ParsedArgs, env: Record<string, string | undefined>): ClientOptions {
  const path = configPath(args, env);
  const explicit = flag(args, "config") !== undefined || env["MPKIT_CONFIG"] !== undefined;
  const file = readConfig(path, explicit);
  const profileName = flag(args, "profile") ?? env["MPKIT_PROFILE"] ?? file.default;
  const profile: Profile = profileName === undefined ? {} : (file.profiles?.[profileName] ?? {});
  if (
    profileName !== undefined &&
    file.profiles?.[profileName] === undefined &&
    (flag(args, "profile") ?? env["MPKIT_PROFILE"])
  ) {
    throw new UsageError(`No profile "${profileName}" in ${path}`);
  }
  const pick = (
    flagKey: string,
    envKey: string,
    profileValue: string | number | undefined,
  ): string | undefined =>
    flag(args, flagKey) ?? env[envKey] ?? (profileValue === undefined ? undefined : String(profileValue));
  const username = pick("sa_username", "MPKIT_SERVICE_ACCOUNT_USERNAME", profile.serviceAccountUsername);
  const secret = pick("sa_secret", "MPKIT_SERVICE_ACCOUNT_SECRET", profile.serviceAccountSecret);
  if ((username === undefined) !== (secret === undefined)) {
    throw new UsageError(
      "A service account needs both a username and a secret (--sa-username/--sa-secret or MPKIT_SERVICE_ACCOUNT_*)",
    );
  }
  const options: ClientOptions = {
    region: pick("region", "MPKIT_REGION", profile.region) as ClientOptions["region"],
    baseUrl: pick("base_url", "MPKIT_BASE_URL", profile.baseUrl),
    projectId: pick("project_id", "MPKIT_PROJECT_ID", profile.projectId),
    workspaceId: pick("workspace_id", "MPKIT_WORKSPACE_ID", profile.workspaceId),
    apiSecret: pick("api_secret", "MPKIT_API_SECRET", profile.apiSecret),
    token: pick("token", "MPKIT_TOKEN", profile.token),
    oauthToken: pick("oauth_token", "MPKIT_OAUTH_TOKEN", profile.oauthToken),
    serviceAccount: username === undefined || secret === undefined ? undefined : { username, secret },
  };
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as ClientOptions;
}
