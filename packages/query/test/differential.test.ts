/**
 * Differential test: random datasets (identity merges in both modes, duplicate `$insert_id`s, three time
 * zones, missing and mistyped properties) × random query parameters, answered by the server over DuckDB
 * and by the naive reference in reference.ts; the responses must be identical.
 */
import { type Expr, parse } from "@mpkit/expr";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMpkitServer, type MpkitConfig, type MpkitServer } from "../../server/src/index.js";
import {
  type Ev,
  ingest,
  type RawEvent,
  refAddiction,
  refEngage,
  refFunnel,
  refRetention,
  refSegmentation,
} from "./reference.js";

const NOW = Date.UTC(2024, 2, 20, 12);
const FROM = "2024-03-04";
const TO = "2024-03-17";
const PROJECTS = [
  { id: 1, timezone: "UTC", mode: "simplified" as const, token: "t1" },
  { id: 2, timezone: "America/Los_Angeles", mode: "original" as const, token: "t2" },
  { id: 3, timezone: "Asia/Kolkata", mode: "simplified" as const, token: "t3" },
];
const config: MpkitConfig = {
  organization: { id: 1, name: "Diff" },
  projects: PROJECTS.map((p) => ({
    id: p.id,
    name: `p${p.id}`,
    token: p.token,
    apiSecret: `s${p.id}`,
    timezone: p.timezone,
    identityMerge: p.mode,
  })),
  serviceAccounts: [
    { username: "sa", secret: "pw", projects: PROJECTS.map((p) => ({ id: p.id, role: "owner" as const })) },
  ],
};
const AUTH = `Basic ${Buffer.from("sa:pw").toString("base64")}`;

/** mulberry32: a small seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dataset(seed: number, mode: "simplified" | "original"): RawEvent[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const start = Date.UTC(2024, 2, 1);
  const span = 19 * 86_400_000;
  const out: RawEvent[] = [];
  let n = 0;
  const props = () => {
    const p: Record<string, unknown> = {};
    const plan = pick(["pro", "free", "free", undefined, 7]);
    if (plan !== undefined) p["plan"] = plan;
    const num = pick([1, 2, 3, 4.5, "5", undefined, null]);
    if (num !== undefined) p["n"] = num;
    return p;
  };
  for (let u = 0; u < 14; u++) {
    const device = `d${u}`;
    const user = `u${u % 11}`;
    const identifyAt = rnd() < 0.6 ? start + rnd() * span : Number.POSITIVE_INFINITY;
    const count = 3 + Math.floor(rnd() * 14);
    const times = Array.from({ length: count }, () => start + Math.floor(rnd() * span)).sort((a, b) => a - b);
    for (const t of times) {
      const identified = t >= identifyAt;
      const p: Record<string, unknown> = { ...props(), time: t, $insert_id: `e${seed}x${n++}` };
      if (mode === "simplified") {
        p["$device_id"] = device;
        if (identified) p["$user_id"] = user;
      } else p["distinct_id"] = identified ? user : `anon${u}`;
      const ev = { event: pick(["A", "A", "B", "C"]), properties: p as RawEvent["properties"] };
      out.push(ev);
      if (rnd() < 0.15) out.push({ event: ev.event, properties: { ...ev.properties } }); // duplicate $insert_id
    }
    if (mode === "original" && identifyAt !== Number.POSITIVE_INFINITY) {
      out.push({
        event: "$identify",
        properties: {
          time: Math.floor(identifyAt),
          distinct_id: user,
          $anon_distinct_id: `anon${u}`,
          $insert_id: `i${seed}x${u}`,
        },
      });
    }
  }
  return out.sort((a, b) => a.properties.time - b.properties.time);
}

let server: MpkitServer;
const stored = new Map<number, Ev[]>();
const profiles = new Map<number, Map<string, Record<string, unknown>>>();

async function call(path: string): Promise<unknown> {
  const res = await server.app.request(path, { headers: { authorization: AUTH } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

beforeAll(async () => {
  server = await createMpkitServer({ config, storage: await DuckDbStorage.open(), now: () => NOW });
  for (const p of PROJECTS) {
    const raw = dataset(1000 + p.id, p.mode);
    const res = await server.app.request(`/import?strict=1&project_id=${p.id}`, {
      method: "POST",
      headers: { authorization: AUTH, "content-type": "application/json" },
      body: JSON.stringify(raw),
    });
    expect(res.status, await res.text()).toBe(200);
    stored.set(p.id, ingest(raw, p.mode));
    const rnd = prng(p.id);
    const profs = new Map<string, Record<string, unknown>>();
    for (let u = 0; u < 9; u++) {
      const set: Record<string, unknown> = {
        plan: ["pro", "free", "team"][u % 3],
        n: Math.floor(rnd() * 10),
      };
      if (rnd() < 0.3) delete set["plan"];
      profs.set(`u${u}`, set);
      const data = Buffer.from(
        JSON.stringify({ $token: p.token, $distinct_id: `u${u}`, $set: set }),
      ).toString("base64");
      const r = await server.app.request(`/engage?verbose=1&data=${encodeURIComponent(data)}`);
      expect(r.status).toBe(200);
    }
    profiles.set(p.id, profs);
  }
});
afterAll(() => server.close());

const WHERES = [
  undefined,
  'properties["plan"] == "pro"',
  'number(properties["n"]) > 2',
  'not defined(properties["plan"])',
];
const ONS = [undefined, 'properties["plan"]', 'properties["n"]', 'properties["n"] > 2'];
const enc = encodeURIComponent;
const ex = (s: string | undefined): Expr | undefined => (s === undefined ? undefined : parse(s));
const qs = (o: Record<string, string | number | boolean | undefined>) =>
  Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${enc(String(v))}`)
    .join("&");

describe.each(PROJECTS)("differential: project $id ($timezone, $mode)", (p) => {
  const rnd = prng(77 + p.id);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const evs = () => stored.get(p.id) ?? [];

  it("segmentation and events", async () => {
    for (let i = 0; i < 14; i++) {
      const unit = pick(["day", "week", "month", "hour"] as const);
      const type = pick(["general", "unique", "average"] as const);
      const where = pick(WHERES);
      const on = pick(ONS);
      const event = pick(["A", "B", "C", "missing"]);
      const to = pick(["2024-03-10", TO]);
      const limit = pick([undefined, 1, 2]);
      const got = await call(
        `/api/2.0/segmentation?${qs({ project_id: p.id, event, from_date: FROM, to_date: to, unit, type, where, on, limit })}`,
      );
      const want = refSegmentation(evs(), {
        events: [event],
        from: FROM,
        to,
        unit,
        type,
        on: ex(on),
        where: ex(where),
        limit: on === undefined ? undefined : (limit ?? 60),
        tz: p.timezone,
      });
      expect(got, `segmentation ${i}`).toEqual(want);
    }
    for (let i = 0; i < 6; i++) {
      const unit = pick(["day", "week"] as const);
      const type = pick(["general", "unique"] as const);
      const events = pick([["A"], ["A", "B"], ["C", "B", "nope"]]);
      const got = await call(
        `/api/query/events?${qs({ project_id: p.id, event: JSON.stringify(events), type, unit, from_date: FROM, to_date: TO })}`,
      );
      expect(got, `events ${i}`).toEqual(
        refSegmentation(evs(), { events, from: FROM, to: TO, unit, type, tz: p.timezone }),
      );
    }
  });

  it("funnels", async () => {
    for (let i = 0; i < 8; i++) {
      const steps = Array.from({ length: pick([2, 3]) }, () => ({
        event: pick(["A", "B", "C"]),
        selector: pick([undefined, undefined, 'properties["plan"] != "free"']),
      }));
      const res = await server.app.request(`/api/app/projects/${p.id}/funnels`, {
        method: "POST",
        headers: { authorization: AUTH, "content-type": "application/json" },
        body: JSON.stringify({ name: `f${i}`, steps }),
      });
      const created = (await res.json()) as { results: { id: number } };
      const length = pick([1, 2, 7]);
      const lengthUnit = pick(["day", "hour"] as const);
      const unit = pick(["day", "week"] as const);
      const where = pick(WHERES);
      const on = pick([undefined, undefined, 'properties["plan"]']);
      const got = await call(
        `/api/query/funnels?${qs({ project_id: p.id, funnel_id: created.results.id, from_date: FROM, to_date: TO, length, length_unit: lengthUnit, unit, where, on })}`,
      );
      const q = {
        steps: steps.map((s) => ({ event: s.event, where: ex(s.selector) })),
        from: FROM,
        to: TO,
        unit,
        windowMs: length * (lengthUnit === "day" ? 86_400_000 : 3_600_000),
        where: ex(where),
        tz: p.timezone,
        limit: 255,
      };
      const want = refFunnel(evs(), q);
      if (on !== undefined) {
        const seg = refFunnel(evs(), { ...q, on: ex(on) });
        for (const [date, v] of Object.entries(seg.data)) {
          seg.data[date] = { $overall: (want.data[date] as { steps: unknown }).steps, ...(v as object) };
        }
        expect(got, `funnel ${i} on`).toEqual(seg);
      } else expect(got, `funnel ${i}`).toEqual(want);
    }
  });

  it("retention and addiction", async () => {
    for (let i = 0; i < 8; i++) {
      const type = pick(["birth", "compounded"] as const);
      const unit = pick(["day", "week"] as const);
      const interval = pick([1, 2]);
      const count = pick([1, 3, 6]);
      const bornEvent = pick(["A", "B"]);
      const event = pick([undefined, "A", "C"]);
      const where = pick(WHERES);
      const bornWhere = pick(WHERES);
      const unbounded = pick([false, true]);
      const from = pick([FROM, "2024-03-11"]);
      const on = pick(ONS);
      const limit = pick([undefined, 2]);
      const got = await call(
        `/api/query/retention?${qs({ project_id: p.id, retention_type: type, born_event: bornEvent, event, where, born_where: bornWhere, from_date: from, to_date: TO, unit, interval, interval_count: count, unbounded_retention: unbounded, on, limit })}`,
      );
      const want = refRetention(evs(), {
        type,
        bornEvent,
        event,
        bornWhere: ex(bornWhere),
        where: ex(where),
        from,
        to: TO,
        unit,
        interval,
        count,
        unbounded,
        tz: p.timezone,
        nowMs: NOW,
        on: ex(on),
        limit,
      });
      expect(got, `retention ${i} on=${on ?? "-"}`).toEqual(want);
    }
    for (let i = 0; i < 6; i++) {
      const unit = pick(["day", "week"] as const);
      const addictionUnit = pick(["hour", "day"] as const);
      const event = pick([undefined, "A", "B"]);
      const where = pick(WHERES);
      const on = pick(ONS);
      const limit = pick([undefined, 2]);
      const got = await call(
        `/api/query/retention/addiction?${qs({ project_id: p.id, unit, addiction_unit: addictionUnit, event, where, from_date: FROM, to_date: TO, on, limit })}`,
      );
      expect(got, `addiction ${i} on=${on ?? "-"}`).toEqual(
        refAddiction(evs(), {
          from: FROM,
          to: TO,
          unit,
          addictionUnit,
          event,
          where: ex(where),
          tz: p.timezone,
          on: ex(on),
          limit,
        }),
      );
    }
  });

  it("engage", async () => {
    for (let i = 0; i < 6; i++) {
      const where = pick([
        undefined,
        'properties["plan"] == "pro"',
        'properties["n"] >= 5',
        'not defined(properties["plan"])',
      ]);
      const pageSize = pick([2, 3, 1000]);
      const first = (await call(
        `/api/2.0/engage?${qs({ project_id: p.id, where, page_size: pageSize, output_properties: '["plan","n"]' })}`,
      )) as { session_id: string };
      const want = refEngage(profiles.get(p.id) ?? new Map(), {
        where: ex(where),
        page: 0,
        pageSize,
        output: ["plan", "n"],
        tz: p.timezone,
      });
      expect(first, `engage ${i}`).toMatchObject({ page: 0, page_size: pageSize, status: "ok", ...want });
      const second = await call(
        `/api/2.0/engage?${qs({ project_id: p.id, where, page_size: pageSize, page: 1, session_id: first.session_id, output_properties: '["plan","n"]' })}`,
      );
      const want2 = refEngage(profiles.get(p.id) ?? new Map(), {
        where: ex(where),
        page: 1,
        pageSize,
        output: ["plan", "n"],
        tz: p.timezone,
      });
      expect(second, `engage ${i} page 1`).toMatchObject({ page: 1, results: want2.results });
    }
  });
});
