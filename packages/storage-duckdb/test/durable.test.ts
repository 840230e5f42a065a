import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDbStorage } from "../src/index.js";

describe("DuckDB file storage", () => {
  it("remembers de-duplication keys across a restart", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mpkit-duckdb-")), "db.duckdb");
    const event = {
      event: "a",
      timeMs: 1,
      distinctId: "u",
      dedupeKey: 42n,
      propertiesJson: "{}",
    };
    const first = await DuckDbStorage.open({ path });
    await first.migrate();
    expect(await first.transaction((tx) => tx.insertEvents(1, [event]))).toEqual({ inserted: 1 });
    await first.close();
    const second = await DuckDbStorage.open({ path });
    await second.migrate();
    expect(await second.transaction((tx) => tx.insertEvents(1, [event]))).toEqual({ inserted: 0 });
    expect(await second.transaction((tx) => tx.insertEvents(2, [event]))).toEqual({ inserted: 1 });
    await second.close();
  });
});
