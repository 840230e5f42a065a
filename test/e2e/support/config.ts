import type { MpkitConfig } from "@mpkit/server";

/**
 * The e2e tenants: the same shape as packages/server/test/support/fixtures.ts (copied, not imported,
 * so these tests do not break while the server's unit fixtures change). Project 1 uses Simplified ID
 * Merge, project 2 Original ID Merge.
 */
export const e2eConfig: MpkitConfig = {
  organization: { id: 1, name: "Acme" },
  projects: [
    {
      id: 1,
      name: "Demo",
      token: "tok_demo",
      apiSecret: "sec_demo",
      timezone: "UTC",
      identityMerge: "simplified",
    },
    {
      id: 2,
      name: "Legacy",
      token: "tok_legacy",
      apiSecret: "sec_legacy",
      timezone: "America/Los_Angeles",
      identityMerge: "original",
    },
  ],
  serviceAccounts: [
    {
      username: "sa.owner",
      secret: "owner-secret",
      projects: [
        { id: 1, role: "owner" },
        { id: 2, role: "owner" },
      ],
    },
    { username: "sa.consumer", secret: "consumer-secret", projects: [{ id: 1, role: "consumer" }] },
    { username: "sa.analyst", secret: "analyst-secret", projects: [{ id: 1, role: "analyst" }] },
  ],
};

export const P1 = { id: 1, token: "tok_demo", secret: "sec_demo", timezone: "UTC" } as const;
export const P2 = {
  id: 2,
  token: "tok_legacy",
  secret: "sec_legacy",
  timezone: "America/Los_Angeles",
} as const;
export const OWNER = { username: "sa.owner", secret: "owner-secret" } as const;
