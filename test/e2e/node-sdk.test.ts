/**
 * The official `mixpanel` Node SDK (0.24) against a real mpkit server over HTTPS, read back through
 * `/api/2.0/export` (events) and storage (profiles, not readable over HTTP yet) and compared field by
 * field with what was sent.
 */
import type { RunningServer } from "@mpkit/server";
import { sql } from "@mpkit/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OWNER, P1, P2 } from "./support/config.js";
import { type ExportLine, exportEvents } from "./support/http.js";
import { date, runSdkPlan, type SdkStep, type SdkStepResult } from "./support/sdk.js";
import { startInProcess, tempDir } from "./support/servers.js";
import { makeCert, type TestCert } from "./support/tls.js";

const DAY = 86_400_000;
const sec = (ms: number) => Math.floor(ms / 1000);

/** What a test sent for one event, to compare with its export line. */
interface Sent {
  readonly event: string;
  readonly distinctId: string;
  readonly timeMs: number;
  readonly props: Record<string, unknown>;
  readonly endpoint: "track" | "import";
  /** track() and import() add mp_lib and $lib_version; the batch methods do not (send_batch_requests). */
  readonly single: boolean;
}

const dir = tempDir("node-sdk");
let cert: TestCert;
let server: RunningServer;
let results: SdkStepResult[];
let steps: SdkStep[];
const sent: Sent[] = [];
const t0 = Date.now();
let before: number;
let after: number;

function add(e: Sent): Record<string, unknown> {
  sent.push(e);
  return { event: e.event, properties: { ...e.props, distinct_id: e.distinctId, time: e.timeMs } };
}

beforeAll(async () => {
  cert = makeCert(dir.path);
  server = await startInProcess(dir.path, cert);
  steps = [];
  const step = (client: string, call: string, ...args: unknown[]) => steps.push({ client, call, args });

  // track(): one GET /track per event; a Date `time` goes out in milliseconds (captures/node-sdk_track_with_time_and_ip.json).
  const signedUp = {
    plan: "pro",
    seats: 3,
    amount: 12.5,
    tags: ["a", "b"],
    nested: { k: "v" },
    $insert_id: "track-1",
  };
  sent.push({
    event: "Signed Up",
    distinctId: "user-1",
    timeMs: t0 - 60_000,
    props: signedUp,
    endpoint: "track",
    single: true,
  });
  step("track_secret", "track", "Signed Up", { ...signedUp, distinct_id: "user-1", time: date(t0 - 60_000) });
  // Without `time`, /track stamps the receipt time.
  step("track_secret", "track", "No Time", { distinct_id: "user-1", $insert_id: "track-2" });

  // track_batch(): more than 50 events, so the SDK splits them into POSTs of 50 (MAX_BATCH_SIZE).
  const trackBatch = [];
  for (let i = 0; i < 120; i++) {
    trackBatch.push(
      add({
        event: `Batch ${i % 3}`,
        distinctId: `batch-user-${i % 7}`,
        timeMs: t0 - 120_000 - i * 1000,
        props: { i, even: i % 2 === 0, label: `item ${i}`, $insert_id: `tb-${i}` },
        endpoint: "track",
        single: false,
      }),
    );
  }
  step("track_secret", "track_batch", trackBatch);

  // import() with the project secret: GET /import with `Authorization: Basic base64(secret:)`, HTTPS only.
  const imp = { source: "secret", value: 42, $insert_id: "imp-1" };
  sent.push({
    event: "Imported",
    distinctId: "user-2",
    timeMs: t0 - 3 * DAY,
    props: imp,
    endpoint: "import",
    single: true,
  });
  step("track_secret", "import", "Imported", date(t0 - 3 * DAY), { ...imp, distinct_id: "user-2" });
  // Sent again (a client retry): /import de-duplicates on (event, distinct_id, time, $insert_id).
  step("track_secret", "import", "Imported", date(t0 - 3 * DAY), { ...imp, distinct_id: "user-2" });

  const importBatch = [];
  for (let i = 0; i < 60; i++) {
    importBatch.push(
      add({
        event: "Historical",
        distinctId: `hist-${i % 5}`,
        timeMs: t0 - 4 * DAY - i * 60_000,
        props: { n: i, via: "import_batch secret", $insert_id: `ib-${i}` },
        endpoint: "import",
        single: false,
      }),
    );
  }
  step(
    "track_secret",
    "import_batch",
    importBatch.map((e) => ({
      ...e,
      properties: { ...(e["properties"] as object), time: date((e["properties"] as { time: number }).time) },
    })),
  );

  // import() and import_batch() with a service account: Basic sa:secret plus `project_id` in the query.
  const impSa = { source: "service account", $insert_id: "imp-sa-1" };
  sent.push({
    event: "Imported SA",
    distinctId: "user-3",
    timeMs: t0 - 2 * DAY,
    props: impSa,
    endpoint: "import",
    single: true,
  });
  step("sa", "import", "Imported SA", date(t0 - 2 * DAY), { ...impSa, distinct_id: "user-3" });
  const saBatch = [];
  for (let i = 0; i < 55; i++) {
    saBatch.push(
      add({
        event: "SA Batch",
        distinctId: `sa-user-${i % 4}`,
        timeMs: t0 - 5 * DAY - i * 1000,
        props: { k: i, $insert_id: `sab-${i}` },
        endpoint: "import",
        single: false,
      }),
    );
  }
  step("sa", "import_batch", saBatch);

  // A wrong secret: the server answers 401 and the SDK reports it; nothing is stored.
  step("wrong_secret", "import", "Must Not Exist", date(t0 - DAY), {
    distinct_id: "x",
    $insert_id: "nope-1",
  });

  // People: every operation of the SDK (captures/node-sdk_people_*.json).
  step("track_secret", "people.set", "user-1", { $name: "Ada", $email: "ada@example.com", plan: "pro" });
  step("track_secret", "people.set", "user-1", "company", "Acme");
  step("track_secret", "people.set_once", "user-1", { first_seen: "2024-01-01", plan: "free" });
  step("track_secret", "people.increment", "user-1", "logins", 2);
  step("track_secret", "people.increment", "user-1", "logins");
  step("track_secret", "people.increment", "user-1", { credits: 5, debt: -2 });
  step("track_secret", "people.append", "user-1", "pages", "home");
  step("track_secret", "people.append", "user-1", { pages: "pricing" });
  step("track_secret", "people.union", "user-1", { browsers: ["chrome", "firefox"] });
  step("track_secret", "people.union", "user-1", { browsers: ["chrome", "safari"] });
  step("track_secret", "people.remove", "user-1", { browsers: "firefox" });
  step("track_secret", "people.set", "user-1", { temp: 1, temp2: "x" });
  step("track_secret", "people.unset", "user-1", "temp");
  step("track_secret", "people.unset", "user-1", ["temp2"]);
  step("track_secret", "people.set", "user-gone", { a: 1 });
  step("track_secret", "people.delete_user", "user-gone");

  // Groups: set, set_once, union, remove, unset, delete (captures/node-sdk_groups_*.json).
  step("track_secret", "groups.set", "company", "acme", {
    $name: "Acme",
    industry: "widgets",
    employees: 42,
  });
  step("track_secret", "groups.set_once", "company", "acme", { founded: 1999, employees: 1 });
  step("track_secret", "groups.union", "company", "acme", { products: ["anvil", "rocket"] });
  step("track_secret", "groups.remove", "company", "acme", { products: "anvil" });
  step("track_secret", "groups.unset", "company", "acme", "industry");
  step("track_secret", "groups.set", "company", "gone", { a: 1 });
  step("track_secret", "groups.delete_group", "company", "gone");

  // alias() on the Original ID Merge project: a `$create_alias` event (captures/node-sdk_alias.json)
  // that puts "anon-9" into user-9's cluster, so export shows user-9 for anon-9's events, retroactively.
  step("legacy", "track", "Before Alias", {
    distinct_id: "anon-9",
    time: date(t0 - 2 * DAY),
    $insert_id: "alias-before",
  });
  step("legacy", "alias", "user-9", "anon-9");
  step("legacy", "track", "After Alias", {
    distinct_id: "anon-9",
    time: date(t0 - 2 * DAY + 5000),
    $insert_id: "alias-after",
  });

  before = Date.now();
  results = await runSdkPlan(
    {
      host: `127.0.0.1:${server.port}`,
      protocol: "https",
      clients: {
        track_secret: { token: P1.token, secret: P1.secret },
        sa: {
          token: P1.token,
          serviceAccount: { username: OWNER.username, secret: OWNER.secret, projectId: String(P1.id) },
        },
        wrong_secret: { token: P1.token, secret: "not-the-secret" },
        legacy: { token: P2.token },
      },
      steps,
    },
    dir.path,
    cert.certPath,
  );
  after = Date.now();
});

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

describe("official mixpanel Node SDK 0.24 over HTTPS", () => {
  it("gets a success callback for every call except the wrong secret", () => {
    expect(results).toHaveLength(steps.length);
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => r.call)).toEqual(["import"]);
    expect(failed[0]?.errors.join()).toMatch(/Mixpanel Server Error: .*Invalid credentials/);
  });

  it("exports every tracked and imported event once, field by field", async () => {
    const lines = await exportEvents(server.url, P1, { ca: cert.cert });
    const byInsertId = new Map<string, ExportLine[]>();
    for (const line of lines) {
      const id = line.properties["$insert_id"];
      if (typeof id !== "string") throw new Error(`export line without $insert_id: ${JSON.stringify(line)}`);
      byInsertId.set(id, [...(byInsertId.get(id) ?? []), line]);
    }
    // Everything sent with an $insert_id, plus "No Time"; the retried import is stored once, the
    // wrong-secret import not at all.
    expect(lines).toHaveLength(sent.length + 1);
    expect(byInsertId.has("nope-1")).toBe(false);
    for (const s of sent) {
      const id = s.props["$insert_id"] as string;
      const found = byInsertId.get(id) ?? [];
      expect(found, `event ${id}`).toHaveLength(1);
      const line = found[0] as ExportLine;
      expect(line.event).toBe(s.event);
      expect(line.properties.distinct_id).toBe(s.distinctId);
      expect(line.properties.time, `time of ${id}`).toBe(sec(s.timeMs));
      for (const [k, v] of Object.entries(s.props)) expect(line.properties[k], `${id}.${k}`).toEqual(v);
      // Ingest-added properties (Mixpanel's default properties) and what must not be stored.
      expect(line.properties["$mp_api_endpoint"]).toBe("127.0.0.1");
      expect(line.properties["$mp_api_timestamp_ms"]).toBeTypeOf("number");
      expect(line.properties["mp_processing_time_ms"]).toBeTypeOf("number");
      expect(line.properties["token"]).toBeUndefined();
      expect(line.properties["$import"]).toBe(s.endpoint === "import" ? true : undefined);
      expect(line.properties["mp_lib"]).toBe(s.single ? "node" : undefined);
      expect(line.properties["$lib_version"]).toBe(s.single ? "0.24.0" : undefined);
    }
    const noTime = byInsertId.get("track-2")?.[0];
    expect(noTime?.event).toBe("No Time");
    expect(noTime?.properties.distinct_id).toBe("user-1");
    expect(noTime?.properties.time).toBeGreaterThanOrEqual(sec(before));
    expect(noTime?.properties.time).toBeLessThanOrEqual(sec(after) + 1);
  });

  it("applies every people operation in order", async () => {
    const rows = await profiles(P1.id);
    expect([...rows.keys()].sort()).toEqual(["company/acme", "user/user-1"]);
    const user = rows.get("user/user-1") ?? {};
    // $last_seen moves with each update (Mixpanel default property); its exact value is the server clock.
    expect(user["$last_seen"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    delete user["$last_seen"];
    expect(user).toEqual({
      $name: "Ada",
      $email: "ada@example.com",
      plan: "pro", // $set_once did not overwrite it
      company: "Acme",
      first_seen: "2024-01-01",
      logins: 3, // +2, then +1 (increment's default)
      credits: 5,
      debt: -2,
      pages: ["home", "pricing"],
      browsers: ["chrome", "safari"], // union, union, remove "firefox"
    });
  });

  it("applies every group operation and deletes the deleted group", async () => {
    const group = (await profiles(P1.id)).get("company/acme");
    expect(group).toEqual({ $name: "Acme", employees: 42, founded: 1999, products: ["rocket"] });
  });

  it("alias merges the alias into the user's cluster (Original ID Merge), retroactively", async () => {
    const lines = await exportEvents(server.url, P2, { ca: cert.cert });
    const tracked = lines.filter((l) => l.event !== "$create_alias");
    expect(tracked.map((l) => [l.event, l.properties.distinct_id, l.properties.time])).toEqual([
      ["Before Alias", "user-9", sec(t0 - 2 * DAY)],
      ["After Alias", "user-9", sec(t0 - 2 * DAY + 5000)],
    ]);
    // The $create_alias event itself is stored with its alias (read from storage: it carries the
    // receipt time, which may be "tomorrow" in the project's Los Angeles day).
    const alias = await server.context.storage.query(
      sql`SELECT distinct_id, properties FROM events WHERE project_id = ${P2.id} AND event = '$create_alias'`,
    );
    expect(alias).toHaveLength(1);
    const props = json(alias[0]?.["properties"]);
    expect(props["alias"]).toBe("anon-9");
    expect(props["mp_lib"]).toBe("node");
  });
});

function json(value: unknown): Record<string, unknown> {
  return (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
}

/** Profiles of a project keyed `user/<id>` or `<group key>/<id>`. */
async function profiles(projectId: number): Promise<Map<string, Record<string, unknown>>> {
  const rows = await server.context.storage.query(
    sql`SELECT group_key, id, properties FROM profiles WHERE project_id = ${projectId}`,
  );
  return new Map(
    rows.map((r) => [
      `${r["group_key"] === "" ? "user" : String(r["group_key"])}/${String(r["id"])}`,
      json(r["properties"]),
    ]),
  );
}
