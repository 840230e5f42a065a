import { type ActionDef, type ClientOptions, createClient, type MixpanelClient } from "@mpkit/connector";
import type { Reply, WireServer } from "./wire-server.js";

/** Credentials of every kind, so each action can pick its preferred one. */
export const credentials = {
  serviceAccount: { username: "sa-user.mp-service-account", secret: "sa-secret-value-123" },
  apiSecret: "project-secret-456",
  token: "project-token-789",
  oauthToken: "oauth-token-abc",
  projectId: 12345,
  workspaceId: 67890,
} as const satisfies ClientOptions;

/** A client pointed at a wire server, with fast retries so failure tests take milliseconds. */
export function wireClient(server: WireServer, options: ClientOptions = {}): MixpanelClient {
  return createClient({
    ...credentials,
    baseUrls: server.baseUrls,
    retry: { initialDelayMs: 1, maxDelayMs: 5, jitter: false },
    ...options,
  });
}

/** A plausible success answer for an action. */
export function successFor(action: ActionDef | undefined, recordCount = 1): Reply {
  if (action?.ingestion) {
    return action.path === "/import"
      ? { body: { code: 200, num_records_imported: recordCount, status: "OK" } }
      : { body: { status: 1, error: null } };
  }
  if (action?.response === "stream") {
    return { chunks: ['{"event":"A","properties":{"time":1,"distinct_id":"u"}}\n'] };
  }
  return { body: { status: "ok", results: [] } };
}

export const expectedAuth = {
  serviceAccount: `Basic ${Buffer.from(`${credentials.serviceAccount.username}:${credentials.serviceAccount.secret}`).toString("base64")}`,
  projectSecret: `Basic ${Buffer.from(`${credentials.apiSecret}:`).toString("base64")}`,
  projectToken: `Basic ${Buffer.from(`${credentials.token}:`).toString("base64")}`,
  oauth: `Bearer ${credentials.oauthToken}`,
};
