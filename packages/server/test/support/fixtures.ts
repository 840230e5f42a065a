import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { expect } from "vitest";
import {
  ConfigError,
  createMpkitServer,
  type MpkitConfig,
  type MpkitServer,
  readConfigFile,
  type ServerOptions,
} from "../../src/index.js";

/** The config shape from the issue, verbatim, plus a second project for isolation tests. */
export const testConfig: MpkitConfig = {
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

export function basic(user: string, pass = ""): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
}

export const OWNER = basic("sa.owner", "owner-secret");

/** An in-process server on DuckDB :memory:. */
export async function memoryServer(options: Partial<ServerOptions> = {}): Promise<MpkitServer> {
  return createMpkitServer({ config: testConfig, storage: await DuckDbStorage.open(), ...options });
}

export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64");
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Exports every event of a project (today and the 10 days before) as parsed lines. */
export async function exportAll(
  server: MpkitServer,
  projectId = 1,
  extra = "",
): Promise<{ event: string; properties: Record<string, unknown> }[]> {
  const from = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  const res = await server.app.request(
    `/api/2.0/export?project_id=${projectId}&from_date=${from}&to_date=${today()}${extra}`,
    { headers: { authorization: OWNER } },
  );
  if (res.status !== 200) throw new Error(`export failed: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

/** Writes `config` to a file, expects `readConfigFile` to refuse it with a ConfigError, returns the message. */
export function configRejection(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "mpkit-config-"));
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify(config));
  try {
    readConfigFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error("readConfigFile accepted the config");
}
