import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { describe, expect, it } from "vitest";
import { createMpkitServer, readConfigFile } from "../src/index.js";
import { basic, configRejection, testConfig } from "./support/fixtures.js";

describe("config", () => {
  it("reads the documented config file shape", () => {
    const dir = mkdtempSync(join(tmpdir(), "mpkit-config-"));
    const path = join(dir, "config.json");
    writeFileSync(path, JSON.stringify(testConfig));
    expect(readConfigFile(path).projects[1]?.identityMerge).toBe("original");
  });

  it("reports every problem, naming the key", () => {
    const message = configRejection({
      organization: { id: 1, name: "Acme" },
      projects: [{ id: 1, name: "x", token: "t", timezone: "Mars/Base", identityMerge: "magic", extra: 1 }],
      serviceAccounts: [{ username: "a", secret: "s", projects: [{ id: 7, role: "owner" }] }],
    });
    expect(message).toContain("projects.0.timezone");
    expect(message).toContain("projects.0.identityMerge");
    expect(message).toContain("extra");
  });

  it("creates a project and an owner on first start, stores only hashes, and reuses them", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mpkit-data-"));
    const first = await createMpkitServer({ dataDir, storage: await DuckDbStorage.open() });
    const g = first.generated;
    expect(g).toBeDefined();
    const stored = readFileSync(join(dataDir, "mpkit.config.json"), "utf8");
    expect(stored).not.toContain(g?.secret ?? "-");
    expect(stored).not.toContain(g?.apiSecret ?? "-");
    await first.close();
    const second = await createMpkitServer({ dataDir, storage: await DuckDbStorage.open() });
    expect(second.generated).toBeUndefined();
    const from = new Date().toISOString().slice(0, 10);
    const res = await second.app.request(`/api/2.0/export?project_id=1&from_date=${from}&to_date=${from}`, {
      headers: { authorization: basic(g?.username ?? "", g?.secret ?? "") },
    });
    expect(res.status).toBe(200);
    await second.close();
  });
});
