import { sql } from "@mpkit/sql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MpkitServer } from "../src/index.js";
import { b64, memoryServer } from "./support/fixtures.js";

let server: MpkitServer;
beforeEach(async () => {
  server = await memoryServer();
});
afterEach(async () => {
  await server.close();
});

async function engage(records: unknown, path = "/engage", query = "verbose=1") {
  const res = await server.app.request(`${path}?${query}&data=${encodeURIComponent(b64(records))}`);
  return res.json() as Promise<{ status: number; error: string | null }>;
}

async function profile(
  id: string,
  groupKey = "",
  projectId = 1,
): Promise<Record<string, unknown> | undefined> {
  const rows = await server.context.storage.query(
    sql`SELECT properties::VARCHAR AS p FROM profiles WHERE project_id = ${projectId} AND group_key = ${groupKey} AND id = ${id}`,
  );
  return rows[0] === undefined ? undefined : (JSON.parse(String(rows[0]["p"])) as Record<string, unknown>);
}

const T = "tok_demo";

describe("/engage", () => {
  it("applies every operation in order", async () => {
    expect(await engage({ $token: T, $distinct_id: "u1", $set: { name: "Ann", n: 1, tags: ["a"] } })).toEqual(
      {
        status: 1,
        error: null,
      },
    );
    await engage([
      { $token: T, $distinct_id: "u1", $set_once: { name: "Bob", first: "yes" } },
      { $token: T, $distinct_id: "u1", $add: { n: 2.5 } },
      { $token: T, $distinct_id: "u1", $append: { tags: "b" } },
      { $token: T, $distinct_id: "u1", $union: { tags: ["a", "c"] } },
      { $token: T, $distinct_id: "u1", $remove: { tags: "b" } },
      { $token: T, $distinct_id: "u1", $add: { visits: 1 } },
    ]);
    const p = await profile("u1");
    expect(p).toMatchObject({ name: "Ann", first: "yes", n: 3.5, tags: ["a", "c"], visits: 1 });
    expect(String(p?.["$last_seen"])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    await engage({ $token: T, $distinct_id: "u1", $unset: ["first", "visits"] });
    expect(await profile("u1")).not.toHaveProperty("first");
    await engage({ $token: T, $distinct_id: "u1", $delete: "" });
    expect(await profile("u1")).toBeUndefined();
  });

  it("keeps $last_seen when $ignore_time is set and uses $time when given", async () => {
    await engage({ $token: T, $distinct_id: "u2", $ignore_time: true, $set: { a: 1 } });
    expect(await profile("u2")).toEqual({ a: 1 });
    await engage({ $token: T, $distinct_id: "u3", $time: 1_700_000_000_000, $set: { a: 1 } });
    expect((await profile("u3"))?.["$last_seen"]).toBe("2023-11-14T22:13:20");
  });

  it("answers 0 with a reason for a bad token or a missing distinct id", async () => {
    expect(await engage({ $token: "bad", $distinct_id: "u", $set: { a: 1 } })).toEqual({
      status: 0,
      error: "$token, invalid",
    });
    expect(await engage({ $token: T, $set: { a: 1 } })).toEqual({
      status: 0,
      error: "$distinct_id, missing or empty",
    });
    expect(await engage({ $token: T, $distinct_id: "u", $add: { a: "x" } })).toMatchObject({ status: 0 });
  });

  it("answers strict=1 failures with failed_records", async () => {
    const res = await server.app.request(
      `/engage?strict=1&data=${encodeURIComponent(b64([{ $token: T, $distinct_id: "ok", $set: { a: 1 } }, { $token: T }]))}`,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ num_records_imported: 1, failed_records: [{ index: 1 }] });
  });
});

describe("/groups", () => {
  it("stores group profiles under their group key", async () => {
    await engage({ $token: T, $group_key: "company", $group_id: "acme", $set: { size: 10 } }, "/groups");
    await engage(
      { $token: T, $group_key: "company", $group_id: "acme", $union: { plans: ["pro"] } },
      "/groups/",
    );
    expect(await profile("acme", "company")).toEqual({ size: 10, plans: ["pro"] });
    expect(await engage({ $token: T, $group_key: "company", $set: { a: 1 } }, "/groups")).toEqual({
      status: 0,
      error: "$group_id, missing or empty",
    });
    await engage({ $token: T, $group_key: "company", $group_id: "acme", $delete: null }, "/groups");
    expect(await profile("acme", "company")).toBeUndefined();
  });
});
