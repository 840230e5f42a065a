import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { main } from "@mpkit/cli";
import { catalog } from "@mpkit/connector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWireServer, type WireServer } from "../../connector/test/support/wire-server.js";

let server: WireServer;
beforeAll(async () => {
  server = await startWireServer();
});
afterAll(() => server.close());

const secrets = {
  MPKIT_SERVICE_ACCOUNT_USERNAME: "sa",
  MPKIT_SERVICE_ACCOUNT_SECRET: "very-secret-sa",
  MPKIT_TOKEN: "tok-123456",
  MPKIT_OAUTH_TOKEN: "oauth-999999",
};

async function run(argv: string[], env: Record<string, string | undefined> = {}, stdin = "") {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { HOME: "/nonexistent", MPKIT_BASE_URL: server.url, MPKIT_PROJECT_ID: "42", ...secrets, ...env },
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}
const dates = ["--from-date", "2024-01-01", "--to-date", "2024-01-31"];

describe("mpkit CLI", () => {
  it("--help lists serve and every action", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("serve");
    expect(stdout).toContain("Run the Mixpanel-compatible analytics server");
    for (const action of catalog) expect(stdout).toContain(action.key);
  });

  it("<action> --help comes from the catalog", async () => {
    const { code, stdout } = await run(["query-retention", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--born-event <text>");
    expect(stdout).toContain("--retention-type <birth|compounded>");
    expect(stdout).toContain("--dry-run");
  });

  it("calls an action with flags from its inputs, credentials from the environment", async () => {
    server.handle(() => ({ body: { data: { series: ["2024-01-01"] } } }));
    const { code, stdout } = await run(["segmentation", "--event", "Signed Up", ...dates, "--unit", "day"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ data: { series: ["2024-01-01"] } });
    const request = server.requests.at(-1);
    expect(request?.path).toBe("/api/query/segmentation");
    expect(request?.query.toString()).toBe(
      "project_id=42&event=Signed+Up&from_date=2024-01-01&to_date=2024-01-31&unit=day",
    );
    expect(request?.headers["authorization"]).toBe(
      `Basic ${Buffer.from("sa:very-secret-sa").toString("base64")}`,
    );
  });

  it("formats results as CSV, JSONL and tables", async () => {
    server.handle(() => ({
      body: [
        { id: 1, name: "A, b" },
        { id: 2, name: "C" },
      ],
    }));
    expect((await run(["list-saved-funnels", "--output", "csv"])).stdout).toBe('id,name\n1,"A, b"\n2,C\n');
    expect((await run(["list-saved-funnels", "--output", "jsonl"])).stdout).toBe(
      '{"id":1,"name":"A, b"}\n{"id":2,"name":"C"}\n',
    );
    expect((await run(["list-saved-funnels", "--output", "table"])).stdout).toBe(
      "id  name\n--  ----\n1   A, b\n2   C\n",
    );
  });

  it("--dry-run prints the exact request with secrets redacted and sends nothing", async () => {
    const before = server.requests.length;
    const { code, stdout } = await run([
      "create-gdpr-deletion",
      "--distinct-ids",
      "u1",
      "--distinct-ids",
      "u2",
      "--dry-run",
    ]);
    expect(code).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(stdout).toContain(`POST ${server.url}/api/app/data-deletions/v3.0?token=[REDACTED]`);
    expect(stdout).toContain("authorization: Bearer [REDACTED]");
    expect(stdout).toContain('{"distinct_ids":["u1","u2"]}');
    for (const secret of Object.values(secrets).slice(1)) expect(stdout).not.toContain(secret);
  });

  it("reads named profiles from the config file; flags win over env and profile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpkit-cli-"));
    const config = join(dir, "config.json");
    writeFileSync(
      config,
      JSON.stringify({
        default: "p",
        profiles: { p: { apiSecret: "profile-secret", projectId: 7, baseUrl: server.url } },
      }),
    );
    server.handle(() => ({ body: [] }));
    await run(["list-saved-cohorts", "--config", config], {
      MPKIT_SERVICE_ACCOUNT_USERNAME: undefined,
      MPKIT_SERVICE_ACCOUNT_SECRET: undefined,
      MPKIT_PROJECT_ID: undefined,
      MPKIT_BASE_URL: undefined,
    });
    expect(server.requests.at(-1)?.headers["authorization"]).toBe(
      `Basic ${Buffer.from("profile-secret:").toString("base64")}`,
    );
    await run([
      "list-saved-cohorts",
      "--config",
      config,
      "--project-id",
      "9",
      "--sa-username",
      "x",
      "--sa-secret",
      "y",
    ]);
    expect(server.requests.at(-1)?.query.get("project_id")).toBe("9");
    expect((await run(["list-saved-cohorts", "--config", config, "--profile", "nope"])).code).toBe(2);
  });

  it("imports an NDJSON.gz file with progress and reports per-record failures with exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpkit-cli-"));
    const file = join(dir, "events.ndjson.gz");
    const lines = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ event: "E", properties: { distinct_id: `u${i}`, time: 1 } }),
    );
    writeFileSync(file, gzipSync(lines.join("\n")));
    server.handle((request) => ({
      body: { code: 200, num_records_imported: (request.json() as unknown[]).length, status: "OK" },
    }));
    const ok = await run(["import-events", "--events", file, "--batch-size", "2", "--progress"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, accepted: 5, batches: 3 });
    expect(ok.stderr).toContain("import-events");
    expect(ok.stderr).toContain("5 imported");

    server.handle(() => ({
      status: 400,
      body: {
        code: 400,
        error: "bad",
        failed_records: [{ index: 0, message: "bad time" }],
        num_records_imported: 4,
        status: "Bad Request",
      },
    }));
    const bad = await run(["import-events", "--events", file]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      ok: false,
      failed: 1,
      failedRecords: [{ index: 0, message: "bad time" }],
    });
  });

  it("import --dry-run shows the first batch, uncompressed, with its gzip header", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpkit-cli-"));
    const file = join(dir, "e.csv");
    writeFileSync(file, "event,distinct_id,time\nA,u1,1\nB,u2,2\n");
    const before = server.requests.length;
    const { stdout } = await run(["import-events", "--events", file, "--dry-run"]);
    expect(server.requests.length).toBe(before);
    expect(stdout).toContain("content-encoding: gzip");
    expect(stdout).toContain('"event":"A"');
    expect(stdout).toContain("first batch (2 records)");
  });

  it("streams download-data as JSONL", async () => {
    server.handle(() => ({
      chunks: ['{"event":"A","properties":{"time":1}}\n', '{"event":"B","properties":{"time":2}}\n'],
    }));
    const { code, stdout } = await run(["download-data", ...dates]);
    expect(code).toBe(0);
    expect(stdout).toBe('{"event":"A","properties":{"time":1}}\n{"event":"B","properties":{"time":2}}\n');
  });

  it("reports HTTP errors with Mixpanel's body and exit 1, usage errors with exit 2, never echoing secrets", async () => {
    server.handle(() => ({
      status: 403,
      body: { request: "/api/query/jql", error: "User is not a member of this workspace" },
    }));
    const denied = await run(["custom-jql-query", "--script", "function main(){}", "--debug"]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("PermissionError");
    expect(denied.stderr).toContain("User is not a member of this workspace");
    for (const secret of Object.values(secrets).slice(1))
      expect(denied.stderr + denied.stdout).not.toContain(secret);
    expect((await run(["segmentation", "--bogus", "1"])).code).toBe(2);
    expect((await run(["segmentation", ...dates])).stderr).toContain('missing required input "event"');
    expect((await run(["nope"])).code).toBe(2);
  });

  it("tracks events from a JSON file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpkit-cli-"));
    const file = join(dir, "events.json");
    writeFileSync(file, JSON.stringify([{ event: "A", properties: { distinct_id: "u1" } }]));
    server.handle(() => ({ body: { status: 1, error: null } }));
    const { code, stdout } = await run(["track-events", "--events", file]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, accepted: 1 });
    const sent = server.requests.at(-1)?.json() as { properties: { token: string } }[] | undefined;
    expect(sent?.[0]?.properties.token).toBe("tok-123456");
  });

  it("exits 1 when ingestion rejects everything", async () => {
    server.handle(() => ({ body: { status: 0, error: "token, missing or empty" } }));
    const { code, stderr } = await run(["create-profile", "--distinct-id", "u1", "--properties", '{"a":1}']);
    expect(code).toBe(1);
    expect(stderr).toContain("token, missing or empty");
  });
});
