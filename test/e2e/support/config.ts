import type { MpkitConfig } from "@mpkit/server";
import { testConfig } from "../../../packages/server/test/support/fixtures.js";

/**
 * The e2e tenants are the server tests' tenants (packages/server/test/support/fixtures.ts): project 1 uses
 * Simplified ID Merge, project 2 Original ID Merge. One definition keeps both suites on the same shape.
 */
export const e2eConfig: MpkitConfig = testConfig;

export const P1 = { id: 1, token: "tok_demo", secret: "sec_demo", timezone: "UTC" } as const;
export const P2 = {
  id: 2,
  token: "tok_legacy",
  secret: "sec_legacy",
  timezone: "America/Los_Angeles",
} as const;
export const OWNER = { username: "sa.owner", secret: "owner-secret" } as const;
