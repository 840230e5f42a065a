/**
 * The connector against the real mpkit server: one suite that checks both sides of the Mixpanel API
 * contract (style.md, recommendation 10). Every action the server implements is exercised here; the
 * others are checked against the wire-asserting loopback server in packages/connector/test.
 */
import { AuthenticationError, createClient, type MixpanelClient, PermissionError } from "@mpkit/connector";
import { type RunningServer, startServer } from "@mpkit/server";
import { sql } from "@mpkit/sql";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../../packages/server/test/support/fixtures.js";

let server: RunningServer;
let mp: MixpanelClient;
let legacy: MixpanelClient;

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const noRetry = { maxRetries: 0 };

async function exported(client: MixpanelClient, where?: string) {
  const out: { event: string; properties: Record<string, unknown> }[] = [];
  const input = { from_date: daysAgo(3), to_date: today(), ...(where === undefined ? {} : { where }) };
  for await (const e of client.exportEvents(input)) out.push(e as (typeof out)[number]);
  return out;
}

async function profile(id: string, groupKey = "", projectId = 1) {
  const rows = await server.context.storage.query(
    sql`SELECT properties::VARCHAR AS p FROM profiles WHERE project_id = ${projectId} AND group_key = ${groupKey} AND id = ${id}`,
  );
  return rows[0] === undefined ? undefined : (JSON.parse(String(rows[0]["p"])) as Record<string, unknown>);
}

beforeAll(async () => {
  server = await startServer({ port: 0, config: testConfig, storage: await DuckDbStorage.open() });
  mp = createClient({
    baseUrl: server.url,
    serviceAccount: { username: "sa.owner", secret: "owner-secret" },
    projectId: 1,
    token: "tok_demo",
    retry: noRetry,
  });
  legacy = createClient({
    baseUrl: server.url,
    apiSecret: "sec_legacy",
    token: "tok_legacy",
    retry: noRetry,
  });
});
afterAll(async () => {
  await server.stop();
});

describe("connector against the mpkit server", () => {
  it("tracks events and reads them back through download-data and exportEvents", async () => {
    const t = Math.floor(Date.now() / 1000) - 60;
    const r = await mp.trackEvents({
      events: [
        { event: "Signed Up", properties: { distinct_id: "c-1", time: t, $insert_id: "trk-1", plan: "pro" } },
        { event: "Logged In", properties: { distinct_id: "c-1", time: t + 1, $insert_id: "trk-2" } },
      ],
    });
    expect(r.ok).toBe(true);
    const events = await exported(mp, 'properties["$insert_id"] in ["trk-1", "trk-2"]');
    expect(events.map((e) => [e.event, e.properties["distinct_id"], e.properties["time"]]).sort()).toEqual([
      ["Logged In", "c-1", t + 1],
      ["Signed Up", "c-1", t],
    ]);
    const stream = await mp.downloadData({ from_date: daysAgo(3), to_date: today(), event: ["Signed Up"] });
    const text = await new Response(stream).text();
    expect(text).toContain('"$insert_id":"trk-1"');
    expect(text).not.toContain("trk-2");
  });

  it("imports 5,000 events in batches, safely re-runnable, and reports per-record failures", async () => {
    const t = Date.now() - 3_600_000;
    async function* events() {
      for (let i = 0; i < 5000; i++) {
        yield { event: "Bulk", properties: { distinct_id: `b-${i % 50}`, time: t + i, n: i } };
      }
      yield { event: "Bulk", properties: { distinct_id: "b-x", time: Date.now() + 86_400_000 } }; // future: rejected
    }
    const first = await mp.importEvents({ events: events(), strict: 1, batch_size: 2000 });
    expect(first.accepted).toBe(5000);
    expect(first.ok).toBe(false);
    expect(first.failedRecords).toHaveLength(1);
    expect(first.failedRecords[0]?.message).toBe("'properties.time' is invalid: must not be in the future");
    const again = await mp.importEvents({ events: events(), strict: 1 });
    expect(again.accepted).toBe(5000);
    const rows = await server.context.storage.query(
      sql`SELECT count(*)::INTEGER AS n FROM events WHERE project_id = 1 AND event = 'Bulk'`,
    );
    // $insert_id is derived from the event before the first attempt, so the second run adds nothing.
    expect(rows).toEqual([{ n: 5000 }]);
  });

  it("runs every profile and group operation", async () => {
    await mp.createProfile({ distinct_id: "p-1", properties: { $name: "Ann", tags: ["a"] } });
    await mp.setProfilePropertiesOnce({ distinct_id: "p-1", properties: { $name: "Bob", first: 1 } });
    await mp.incrementProfileProperties({ distinct_id: "p-1", increments: { visits: 2 } });
    await mp.appendProfileListProperties({ distinct_id: "p-1", values: { tags: "b" } });
    await mp.unionProfileListProperties({ distinct_id: "p-1", values: { tags: ["a", "c"] } });
    await mp.removeProfileListProperties({ distinct_id: "p-1", values: { tags: "b" } });
    await mp.unsetProfileProperties({ distinct_id: "p-1", names: ["first"] });
    expect(await profile("p-1")).toMatchObject({ $name: "Ann", visits: 2, tags: ["a", "c"] });
    await mp.updateMultipleProfiles({
      updates: [
        { $distinct_id: "p-2", $set: { a: 1 } },
        { $distinct_id: "p-3", $set: { a: 2 } },
      ],
    });
    expect(await profile("p-3")).toMatchObject({ a: 2 });
    await mp.deleteProfile({ distinct_id: "p-1" });
    expect(await profile("p-1")).toBeUndefined();

    await mp.setGroupProperties({ group_key: "company", group_id: "acme", properties: { size: 5 } });
    await mp.setGroupPropertiesOnce({
      group_key: "company",
      group_id: "acme",
      properties: { size: 9, tier: "b" },
    });
    await mp.unionGroupListProperties({ group_key: "company", group_id: "acme", values: { plans: ["pro"] } });
    await mp.removeGroupListProperties({ group_key: "company", group_id: "acme", values: { plans: "pro" } });
    await mp.unsetGroupProperties({ group_key: "company", group_id: "acme", names: ["tier"] });
    expect(await profile("acme", "company")).toEqual({ size: 5, plans: [] });
    await mp.updateMultipleGroups({
      updates: [{ $group_key: "company", $group_id: "beta", $set: { size: 1 } }],
    });
    expect(await profile("beta", "company")).toEqual({ size: 1 });
    await mp.deleteGroup({ group_key: "company", group_id: "acme" });
    expect(await profile("acme", "company")).toBeUndefined();
  });

  it("merges identities with create-identity, create-alias and merge-identities (Original ID Merge)", async () => {
    const t = Date.now() - 60_000;
    await legacy.importEvents({
      events: [
        { event: "anon", properties: { distinct_id: "anon-c1", time: t, $insert_id: "id-1" } },
        { event: "nick", properties: { distinct_id: "nick-c1", time: t, $insert_id: "id-2" } },
        { event: "other", properties: { distinct_id: "other-c1", time: t, $insert_id: "id-3" } },
      ],
    });
    await legacy.createIdentity({ identified_id: "user-c1", anon_id: "anon-c1" });
    await legacy.createAlias({ distinct_id: "user-c1", alias: "nick-c1" });
    await legacy.mergeIdentities({ distinct_id_1: "user-c1", distinct_id_2: "other-c1" });
    const ids = Object.fromEntries(
      (await exported(legacy)).map((e) => [e.event, e.properties["distinct_id"]]),
    );
    expect(ids).toMatchObject({ anon: "user-c1", nick: "user-c1", other: "user-c1" });
  });

  it("surfaces Mixpanel's errors as typed errors", async () => {
    const consumer = createClient({
      baseUrl: server.url,
      serviceAccount: { username: "sa.consumer", secret: "consumer-secret" },
      projectId: 1,
      retry: noRetry,
    });
    await expect(consumer.downloadData({ from_date: today(), to_date: today() })).rejects.toBeInstanceOf(
      PermissionError,
    );
    const wrong = createClient({
      baseUrl: server.url,
      serviceAccount: { username: "sa.owner", secret: "nope" },
      projectId: 1,
      retry: noRetry,
    });
    await expect(wrong.downloadData({ from_date: today(), to_date: today() })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });
});
