/**
 * A naive reference for the Query API, written independently of the SQL path: plain loops over
 * in-memory events. It re-derives ingestion's effects (de-duplication by event, distinct_id, second and
 * `$insert_id`; Simplified and Original ID merges) and then answers each endpoint by brute force, with
 * its own time-zone conversion through `Intl`.
 */
import { type Expr, matches, segmentOf } from "@mpkit/expr";

export interface RawEvent {
  event: string;
  properties: Record<string, unknown> & { time: number; $insert_id: string };
}

export interface Ev {
  event: string;
  time: number;
  uid: string;
  distinctId: string;
  props: Record<string, unknown>;
}

const RESERVED = new Set(["time", "distinct_id", "token", "$insert_id_dup"]);

/** Stored events after de-duplication and identity resolution, as a Mixpanel project would see them. */
export function ingest(raw: readonly RawEvent[], mode: "simplified" | "original"): Ev[] {
  const seen = new Set<string>();
  const canon = new Map<string, string>();
  const stored: { event: string; time: number; distinctId: string; props: Record<string, unknown> }[] = [];
  for (const r of raw) {
    const p = r.properties;
    let distinctId: string;
    if (mode === "simplified") {
      const user = p["$user_id"] as string | undefined;
      const device = p["$device_id"] as string | undefined;
      distinctId = user ?? (p["distinct_id"] as string | undefined) ?? `$device:${device}`;
      if (user !== undefined && device !== undefined && !canon.has(`$device:${device}`)) {
        canon.set(`$device:${device}`, user);
      }
    } else {
      distinctId = p["distinct_id"] as string;
      const anon = p["$anon_distinct_id"] as string | undefined;
      if (r.event === "$identify" && anon !== undefined && anon !== distinctId) {
        const target = canon.get(distinctId) ?? distinctId;
        const source = canon.get(anon) ?? anon;
        if (target !== source && !canon.has(anon)) {
          const ids = new Set([target, source, distinctId, anon]);
          for (const [id, c] of canon) if (c === target || c === source) ids.add(id);
          for (const id of ids) canon.set(id, target);
        }
      }
    }
    const key = `${r.event}\u0000${distinctId}\u0000${Math.floor(p.time / 1000)}\u0000${p.$insert_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) if (!RESERVED.has(k)) props[k] = v;
    stored.push({ event: r.event, time: p.time, distinctId, props });
  }
  return stored.map((s) => ({ ...s, uid: canon.get(s.distinctId) ?? s.distinctId }));
}

/** Local wall-clock fields of an instant in a zone. */
export function local(ms: number, tz: string): { y: number; m: number; d: number; h: number; min: number } {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const o: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== "literal") o[p.type] = Number(p.value);
  return {
    y: o["year"] ?? 0,
    m: o["month"] ?? 0,
    d: o["day"] ?? 0,
    h: o["hour"] ?? 0,
    min: o["minute"] ?? 0,
  };
}

const p2 = (n: number) => String(n).padStart(2, "0");
export const dateText = (y: number, m: number, d: number) => `${y}-${p2(m)}-${p2(d)}`;
export const localDate = (ms: number, tz: string) => {
  const l = local(ms, tz);
  return dateText(l.y, l.m, l.d);
};

/** Every date from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

function mondayOfDate(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

export type RefUnit = "hour" | "day" | "week" | "month";

/** The bucket key of an instant. */
export function keyOf(ms: number, tz: string, unit: RefUnit): string {
  const l = local(ms, tz);
  const date = dateText(l.y, l.m, l.d);
  if (unit === "hour") return `${date} ${p2(l.h)}:00:00`;
  if (unit === "week") return mondayOfDate(date);
  if (unit === "month") return `${date.slice(0, 7)}-01`;
  return date;
}

/** All bucket keys of a date range. */
export function keysBetween(from: string, to: string, unit: RefUnit): string[] {
  const out: string[] = [];
  for (const d of datesBetween(from, to)) {
    if (unit === "hour") for (let h = 0; h < 24; h++) out.push(`${d} ${p2(h)}:00:00`);
    else {
      const k = unit === "week" ? mondayOfDate(d) : unit === "month" ? `${d.slice(0, 7)}-01` : d;
      if (out[out.length - 1] !== k) out.push(k);
    }
  }
  return out;
}

const scope = (e: Ev) => ({ properties: e.props, timeMs: e.time, distinctId: e.uid });
const ok = (where: Expr | undefined, e: Ev, tz: string) =>
  where === undefined || matches(where, scope(e), { timezone: tz });

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `/segmentation` and `/events` by brute force. */
export function refSegmentation(
  evs: readonly Ev[],
  q: {
    events: string[];
    from: string;
    to: string;
    unit: RefUnit;
    type: "general" | "unique" | "average";
    on?: Expr;
    where?: Expr;
    limit?: number;
    tz: string;
  },
) {
  const series = keysBetween(q.from, q.to, q.unit);
  const cells = new Map<string, Map<string, { n: number; users: Set<string> }>>();
  for (const e of evs) {
    if (!q.events.includes(e.event)) continue;
    const d = localDate(e.time, q.tz);
    if (d < q.from || d > q.to || !ok(q.where, e, q.tz)) continue;
    const seg = q.on === undefined ? e.event : segmentOf(q.on, scope(e), { timezone: q.tz });
    const k = keyOf(e.time, q.tz, q.unit);
    const bySeg = cells.get(seg) ?? new Map();
    cells.set(seg, bySeg);
    const c = bySeg.get(k) ?? { n: 0, users: new Set<string>() };
    bySeg.set(k, c);
    c.n++;
    c.users.add(e.uid);
  }
  let segs = [...cells.keys()];
  if (q.limit !== undefined) {
    const rank = (s: string) => {
      let t = 0;
      for (const c of cells.get(s)?.values() ?? []) t += q.type === "unique" ? c.users.size : c.n;
      return t;
    };
    segs = segs.sort((a, b) => rank(b) - rank(a) || cmp(a, b)).slice(0, q.limit);
  }
  const values: Record<string, Record<string, number>> = {};
  if (q.on === undefined) for (const e of q.events) values[e] = Object.fromEntries(series.map((k) => [k, 0]));
  for (const s of segs) {
    const row = Object.fromEntries(series.map((k) => [k, 0]));
    for (const [k, c] of cells.get(s) ?? []) {
      row[k] =
        q.type === "general"
          ? c.n
          : q.type === "unique"
            ? c.users.size
            : c.users.size === 0
              ? 0
              : c.n / c.users.size;
    }
    values[s] = row;
  }
  return { data: { series, values }, legend_size: Object.keys(values).length };
}

export interface RefStep {
  event: string;
  where?: Expr;
}

/** `/funnels` by brute force (first touch per bucket, greedy earliest steps). */
export function refFunnel(
  evs: readonly Ev[],
  q: {
    steps: RefStep[];
    from: string;
    to: string;
    unit: "day" | "week";
    windowMs: number;
    where?: Expr;
    on?: Expr;
    tz: string;
    limit: number;
  },
) {
  const dates = keysBetween(q.from, q.to, q.unit);
  const byUser = new Map<string, Ev[]>();
  for (const e of [...evs].sort((a, b) => a.time - b.time)) {
    if (!ok(q.where, e, q.tz)) continue;
    const list = byUser.get(e.uid) ?? [];
    byUser.set(e.uid, list);
    list.push(e);
  }
  const stepOk = (k: number, e: Ev) => {
    const s = q.steps[k];
    return s !== undefined && e.event === s.event && ok(s.where, e, q.tz);
  };
  // acc[date][segment][step] = {n, dt, dt0}
  const acc = new Map<string, Map<string, { n: number; dt: number; dt0: number }[]>>();
  for (const [, list] of byUser) {
    const entries = new Map<string, number>();
    for (const e of list) {
      if (!stepOk(0, e)) continue;
      const d = localDate(e.time, q.tz);
      if (d < q.from || d > q.to) continue;
      const seg = q.on === undefined ? "" : segmentOf(q.on, scope(e), { timezone: q.tz });
      const key = `${keyOf(e.time, q.tz, q.unit)}\u0000${seg}`;
      if (!entries.has(key)) entries.set(key, e.time);
    }
    for (const [key, t0] of entries) {
      const [date = "", seg = ""] = key.split("\u0000");
      const bySeg = acc.get(date) ?? new Map();
      acc.set(date, bySeg);
      const steps = bySeg.get(seg) ?? q.steps.map(() => ({ n: 0, dt: 0, dt0: 0 }));
      bySeg.set(seg, steps);
      let prev = t0;
      for (let k = 0; k < q.steps.length; k++) {
        let t: number | undefined;
        if (k === 0) t = t0;
        else {
          const strict = q.steps.slice(0, k).some((s) => s.event === q.steps[k]?.event);
          const hit = list.find(
            (e) => stepOk(k, e) && (strict ? e.time > prev : e.time >= prev) && e.time < t0 + q.windowMs,
          );
          t = hit?.time;
        }
        if (t === undefined) break;
        const s = steps[k];
        if (s !== undefined) {
          s.n++;
          s.dt += t - prev;
          s.dt0 += t - t0;
        }
        prev = t;
      }
    }
  }
  const stepsOf = (a: { n: number; dt: number; dt0: number }[] | undefined) =>
    q.steps.map((s, k) => {
      const c = a?.[k] ?? { n: 0, dt: 0, dt0: 0 };
      const first = a?.[0]?.n ?? 0;
      const prev = k === 0 ? c.n : (a?.[k - 1]?.n ?? 0);
      const avg = (x: number) => (k === 0 || c.n === 0 ? null : Math.round(x / c.n / 1000));
      return {
        count: c.n,
        avg_time: avg(c.dt),
        avg_time_from_start: avg(c.dt0),
        step_conv_ratio: k === 0 ? 1 : prev === 0 ? 0 : c.n / prev,
        overall_conv_ratio: k === 0 ? 1 : first === 0 ? 0 : c.n / first,
        goal: s.event,
        event: s.event,
        step_label: s.event,
      };
    });
  const data: Record<string, unknown> = {};
  const totals = new Map<string, number>();
  for (const bySeg of acc.values())
    for (const [seg, a] of bySeg) totals.set(seg, (totals.get(seg) ?? 0) + (a[0]?.n ?? 0));
  const kept = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .slice(0, q.limit)
    .map(([s]) => s);
  for (const date of dates) {
    if (q.on === undefined) {
      const steps = stepsOf(acc.get(date)?.get(""));
      let worst = 1;
      let drop = Number.NEGATIVE_INFINITY;
      for (let i = 1; i < steps.length; i++) {
        const d = (steps[i - 1]?.count ?? 0) - (steps[i]?.count ?? 0);
        if (d > drop) [drop, worst] = [d, i];
      }
      data[date] = {
        steps,
        analysis: {
          completion: steps[steps.length - 1]?.count ?? 0,
          starting_amount: steps[0]?.count ?? 0,
          steps: steps.length,
          worst,
        },
      };
    } else {
      data[date] = Object.fromEntries(kept.map((s) => [s, stepsOf(acc.get(date)?.get(s))]));
    }
  }
  return { meta: { dates }, data };
}

/** `/retention` by brute force. */
export function refRetention(
  evs: readonly Ev[],
  q: {
    type: "birth" | "compounded";
    bornEvent?: string;
    event?: string;
    bornWhere?: Expr;
    where?: Expr;
    from: string;
    to: string;
    unit: "day" | "week";
    interval: number;
    count: number;
    unbounded: boolean;
    tz: string;
    nowMs: number;
    /** Breakdown by the birth event's segment; ties in birth time go to the smallest segment text. */
    on?: Expr;
    limit?: number;
  },
) {
  const L = (q.unit === "day" ? 86_400_000 : 7 * 86_400_000) * q.interval;
  const inRange = (e: Ev) => {
    const d = localDate(e.time, q.tz);
    return d >= q.from && d <= q.to;
  };
  const segOf = (e: Ev) => (q.on === undefined ? "" : segmentOf(q.on, scope(e), { timezone: q.tz }));
  // The earlier event wins; at the same instant the smaller segment does (the engine's tie rule).
  const earlier = (a: { t0: number; seg: string }, b: { t0: number; seg: string }) =>
    a.t0 < b.t0 || (a.t0 === b.t0 && cmp(a.seg, b.seg) < 0);
  const cohorts = new Map<string, Map<string, { t0: number; seg: string }>>(); // key -> uid -> birth
  const sorted = [...evs].sort((a, b) => a.time - b.time);
  const add = (k: string, uid: string, birth: { t0: number; seg: string }) => {
    const m = cohorts.get(k) ?? new Map<string, { t0: number; seg: string }>();
    cohorts.set(k, m);
    const had = m.get(uid);
    if (had === undefined || earlier(birth, had)) m.set(uid, birth);
  };
  if (q.type === "birth") {
    const first = new Map<string, { t0: number; seg: string; e: Ev }>();
    for (const e of sorted) {
      if (e.event !== q.bornEvent || !ok(q.bornWhere, e, q.tz)) continue;
      const b = { t0: e.time, seg: segOf(e), e };
      const had = first.get(e.uid);
      if (had === undefined || earlier(b, had)) first.set(e.uid, b);
    }
    for (const b of first.values()) if (inRange(b.e)) add(keyOf(b.t0, q.tz, q.unit), b.e.uid, b);
  } else {
    for (const e of sorted) {
      if ((q.event !== undefined && e.event !== q.event) || !ok(q.where, e, q.tz) || !inRange(e)) continue;
      add(keyOf(e.time, q.tz, q.unit), e.uid, { t0: e.time, seg: segOf(e) });
    }
  }
  const cohortFor = (key: string, members: [string, number][]) => {
    const counts = new Array<number>(q.count + 1).fill(0);
    for (const [uid, t0] of members) {
      const ks = new Set<number>();
      for (const e of sorted) {
        if (e.uid !== uid || (q.event !== undefined && e.event !== q.event) || !ok(q.where, e, q.tz))
          continue;
        if (e.time <= t0 || e.time >= t0 + L * (q.count + 1)) continue;
        ks.add(Math.floor((e.time - t0) / L));
      }
      if (q.unbounded) {
        const max = Math.max(-1, ...ks);
        for (let i = 0; i <= max; i++) counts[i] = (counts[i] ?? 0) + 1;
      } else for (const k of ks) counts[k] = (counts[k] ?? 0) + 1;
    }
    // The cohort bucket's first instant, found by scanning (independent of the engine's zone code).
    let start = Date.parse(`${key}T00:00:00Z`) - 86_400_000;
    while (keyOf(start, q.tz, q.unit) !== key || localDate(start, q.tz) < key) start += 15 * 60_000;
    const started = Math.floor((q.nowMs - start) / L) + 1;
    return { counts: counts.slice(0, Math.max(1, Math.min(counts.length, started))), first: members.length };
  };
  const keys = keysBetween(q.from, q.to, q.unit);
  const membersOf = (key: string, seg?: string) =>
    [...(cohorts.get(key) ?? new Map<string, { t0: number; seg: string }>())]
      .filter(([, b]) => seg === undefined || b.seg === seg)
      .map(([uid, b]): [string, number] => [uid, b.t0]);
  if (q.on === undefined) {
    const out: Record<string, { counts: number[]; first: number }> = {};
    for (const key of keys) out[key] = cohortFor(key, membersOf(key));
    return out;
  }
  // Kept segments: the largest cohorts over the whole range, ties by name.
  const sizes = new Map<string, number>();
  for (const key of keys)
    for (const b of cohorts.get(key)?.values() ?? []) sizes.set(b.seg, (sizes.get(b.seg) ?? 0) + 1);
  const kept = [...sizes.entries()]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .slice(0, q.limit ?? 255)
    .map(([seg]) => seg);
  const out: Record<string, Record<string, { counts: number[]; first: number }>> = {};
  for (const key of keys) {
    const day: Record<string, { counts: number[]; first: number }> = {
      $overall: cohortFor(key, membersOf(key)),
    };
    for (const seg of kept) day[seg] = cohortFor(key, membersOf(key, seg));
    out[key] = day;
  }
  return out;
}

/** `/retention/addiction` by brute force. */
export function refAddiction(
  evs: readonly Ev[],
  q: {
    from: string;
    to: string;
    unit: "day" | "week";
    addictionUnit: "hour" | "day";
    event?: string;
    where?: Expr;
    tz: string;
    /** Breakdown: each event's own segment; a user counts in every segment they have events in. */
    on?: Expr;
    limit?: number;
  },
) {
  // bucket -> segment ("" = overall) -> uid -> distinct slots
  const slots = new Map<string, Map<string, Map<string, Set<string>>>>();
  const note = (k: string, seg: string, uid: string, slot: string) => {
    const bySeg = slots.get(k) ?? new Map<string, Map<string, Set<string>>>();
    slots.set(k, bySeg);
    const users = bySeg.get(seg) ?? new Map<string, Set<string>>();
    bySeg.set(seg, users);
    const s = users.get(uid) ?? new Set<string>();
    users.set(uid, s);
    s.add(slot);
  };
  for (const e of evs) {
    if ((q.event !== undefined && e.event !== q.event) || !ok(q.where, e, q.tz)) continue;
    const d = localDate(e.time, q.tz);
    if (d < q.from || d > q.to) continue;
    const k = keyOf(e.time, q.tz, q.unit);
    const slot = keyOf(e.time, q.tz, q.addictionUnit === "hour" ? "hour" : "day");
    note(k, "\u0000overall", e.uid, slot);
    if (q.on !== undefined) note(k, segmentOf(q.on, scope(e), { timezone: q.tz }), e.uid, slot);
  }
  const len = (q.unit === "day" ? 1 : 7) * (q.addictionUnit === "hour" ? 24 : 1);
  const hist = (key: string, seg: string) => {
    const arr = new Array<number>(len).fill(0);
    for (const s of slots.get(key)?.get(seg)?.values() ?? [])
      for (let i = 0; i < Math.min(s.size, len); i++) arr[i] = (arr[i] ?? 0) + 1;
    return arr;
  };
  const keys = keysBetween(q.from, q.to, q.unit);
  if (q.on === undefined) {
    const data: Record<string, number[]> = {};
    for (const key of keys) data[key] = hist(key, "\u0000overall");
    return { data };
  }
  // Kept segments: the most (bucket, user) pairs over the range, ties by name.
  const sizes = new Map<string, number>();
  for (const bySeg of slots.values())
    for (const [seg, users] of bySeg)
      if (seg !== "\u0000overall") sizes.set(seg, (sizes.get(seg) ?? 0) + users.size);
  const kept = [...sizes.entries()]
    .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
    .slice(0, q.limit ?? 255)
    .map(([seg]) => seg);
  const data: Record<string, Record<string, number[]>> = {};
  for (const key of keys) {
    const day: Record<string, number[]> = { $overall: hist(key, "\u0000overall") };
    for (const seg of kept) day[seg] = hist(key, seg);
    data[key] = day;
  }
  return { data };
}

/** `/engage` by brute force over profiles. */
export function refEngage(
  profiles: ReadonlyMap<string, Record<string, unknown>>,
  q: { where?: Expr; page: number; pageSize: number; output: string[]; tz: string },
) {
  const ids = [...profiles.keys()]
    .filter(
      (id) =>
        q.where === undefined ||
        matches(q.where, { properties: profiles.get(id) ?? {}, distinctId: id }, { timezone: q.tz }),
    )
    .sort(cmp);
  const page = ids.slice(q.page * q.pageSize, (q.page + 1) * q.pageSize);
  return {
    total: ids.length,
    results: page.map((id) => ({
      $distinct_id: id,
      $properties: Object.fromEntries(
        Object.entries(profiles.get(id) ?? {}).filter(([k]) => q.output.includes(k)),
      ),
    })),
  };
}
