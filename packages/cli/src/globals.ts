/** Flags every action command takes, with their help text. Action inputs of these names come from the connection. */
export const globalFlags: readonly { name: string; value?: string; help: string }[] = [
  { name: "profile", value: "name", help: "Named profile from the config file (MPKIT_PROFILE)" },
  { name: "config", value: "path", help: "Config file (MPKIT_CONFIG; default ~/.config/mpkit/config.json)" },
  { name: "region", value: "US|EU|IN", help: "Data residency region (MPKIT_REGION)" },
  {
    name: "base-url",
    value: "url",
    help: "One base URL for every host family, e.g. a self-hosted mpkit (MPKIT_BASE_URL)",
  },
  { name: "project-id", value: "id", help: "Project id (MPKIT_PROJECT_ID)" },
  { name: "workspace-id", value: "id", help: "Workspace (data view) id (MPKIT_WORKSPACE_ID)" },
  { name: "sa-username", value: "name", help: "Service account username (MPKIT_SERVICE_ACCOUNT_USERNAME)" },
  { name: "sa-secret", value: "secret", help: "Service account secret (MPKIT_SERVICE_ACCOUNT_SECRET)" },
  { name: "api-secret", value: "secret", help: "Project secret, legacy (MPKIT_API_SECRET)" },
  { name: "token", value: "token", help: "Project token (MPKIT_TOKEN)" },
  { name: "oauth-token", value: "token", help: "OAuth bearer token (MPKIT_OAUTH_TOKEN)" },
  { name: "output", value: "json|jsonl|csv|table", help: "Output format (default json; jsonl for streams)" },
  { name: "input", value: "json|@file", help: "All inputs as one JSON object; flags override its keys" },
  { name: "dry-run", help: "Print the exact HTTP request (secrets redacted) instead of sending it" },
  { name: "debug", help: "Log each request and response to stderr (secrets redacted)" },
  { name: "timeout", value: "ms", help: "Per-attempt timeout (default 120000)" },
  { name: "max-retries", value: "n", help: "Retries on 429/5xx/network errors (default 3)" },
  { name: "progress", help: "Force progress output on stderr (default: when stderr is a terminal)" },
  { name: "all", help: "query-profiles: page through every profile" },
  { name: "help", help: "Show help" },
];

export const globalNames: ReadonlySet<string> = new Set(globalFlags.map((f) => f.name.replace(/-/g, "_")));
export const booleanGlobals: ReadonlySet<string> = new Set(["dry_run", "debug", "progress", "all", "help"]);
/** Inputs that are filled from the connection, so their flags are the global ones. */
export const connectionInputs: ReadonlySet<string> = new Set(["project_id", "workspace_id", "token"]);
