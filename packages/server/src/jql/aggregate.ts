import type { JqlAccessorPlan, JqlAggregateRequest, JqlGroupRow, JqlReducerPlan } from "@mpkit/jql";
import { type Sql, sql } from "@mpkit/sql";
import type { StorageAdapter } from "@mpkit/storage";
import {
  EVENT_COLUMNS,
  eventFilters,
  eventsFrom,
  peopleFilters,
  selectorsNeedIdentity,
} from "./storage-source.js";

/**
 * SQL pushdown of a leading `groupBy(keys, reducers)`: one `GROUP BY` returns mergeable partial
 * states, JavaScript turns them into the rows the sandbox would have produced. Anything whose
 * result could differ from the sandbox's is declined (`null`), and the sandbox computes it.
 *
 * Pushed (see docs/jql.md, "Pushdown"):
 * - keys: dotted paths `name`, `distinct_id`, `time`, `sampling_factor`, `properties.<a>[.<b>...]`
 *   (events) or `distinct_id`, `properties.<...>` (people); `numeric_bucket` of those with a list
 *   of bounds or `{bucket_size, offset}`; calendar buckets of `time`;
 * - reducers: `count`, `sum`, `min`, `max`, `avg`, `numeric_summary`, `null` over the same paths.
 */

/** A key part computed in SQL, and how to read its value back. */
type KeyPart = { readonly sql: Sql; readonly kind: "text" | "number" | "json" };
/** A reducer: its SQL partial aggregates (NULL read as null) and how to merge/finish them. */
type State = (number | null)[];
type ReducerSpec = {
  readonly parts: readonly Sql[];
  merge(into: State, from: State): void;
  done(state: State): unknown;
};

class Decline extends Error {}
const decline = (why: string): never => {
  throw new Decline(why);
};

// A missing member reads the prototype in JavaScript (`constructor`, `toString`, ...), and below the
// first level the parent may be a string or an array (`name.length`, `tags.0`), where a JSON path
// reads nothing: such paths are left to the sandbox.
const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));
const BUILTIN_MEMBERS = new Set<string>(OBJECT_MEMBERS);
for (const proto of [Array.prototype, String.prototype, Number.prototype, Boolean.prototype])
  for (const name of Object.getOwnPropertyNames(proto)) BUILTIN_MEMBERS.add(name);
const pushableSegments = (rest: readonly string[]): boolean =>
  rest.every((s, i) => (i === 0 ? !OBJECT_MEMBERS.has(s) : !BUILTIN_MEMBERS.has(s) && !/^\d+$/.test(s)));

/** JSON pointer (RFC 6901) for a member list, as an escaped literal: user text stays data. */
const pointer = (segments: readonly string[]): Sql =>
  sql.literal(segments.map((s) => `/${s.replaceAll("~", "~0").replaceAll("/", "~1")}`).join(""));

/** Finite DOUBLE of a JSON value when it is a JSON number (the runtime's numeric reducers skip the rest). */
const jsonNumber = (j: Sql): Sql =>
  sql`CASE WHEN json_type(${j}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND isfinite(CAST(${j} AS DOUBLE)) THEN CAST(${j} AS DOUBLE) END`;

interface Model {
  /** A top-level field by name, or undefined when it is not pushable. */
  field(name: string): KeyPart | undefined;
  readonly properties: Sql;
  readonly usesIdentity: { value: boolean };
  readonly projectTime: Sql | undefined;
}

function eventModel(timezone: string): Model {
  const usesIdentity = { value: false };
  // JQL times are "milliseconds since January 1, 1970 in your project's timezone": the UTC epoch
  // plus the zone's offset at that instant (ICU's `timezone()` gives the wall clock).
  const projectTime =
    timezone === "UTC" || timezone === "Etc/UTC"
      ? sql`CAST(e.time_ms AS DOUBLE)`
      : sql`CAST(e.time_ms + (epoch_ms(timezone(${sql.literal(timezone)}, to_timestamp(e.time_ms // 1000))) - (e.time_ms // 1000) * 1000) AS DOUBLE)`;
  return {
    properties: EVENT_COLUMNS.properties,
    usesIdentity,
    projectTime,
    field(name) {
      if (name === "name") return { sql: EVENT_COLUMNS.event, kind: "text" };
      if (name === "distinct_id") {
        usesIdentity.value = true;
        return { sql: sql`nullif(${EVENT_COLUMNS.distinctId}, '')`, kind: "text" };
      }
      if (name === "time") return { sql: projectTime, kind: "number" };
      if (name === "sampling_factor") return { sql: sql`CAST(1 AS DOUBLE)`, kind: "number" };
      return undefined;
    },
  };
}

function peopleModel(): Model {
  return {
    properties: sql.raw("p.properties"),
    usesIdentity: { value: false },
    projectTime: undefined,
    field: (name) => (name === "distinct_id" ? { sql: sql.raw("p.id"), kind: "text" } : undefined),
  };
}

/** The SQL of a dotted path (JQL accessor), as a key part. */
function pathPart(model: Model, path: string): KeyPart {
  const segments = path.split(".");
  const head = segments[0] as string;
  if (segments.length === 1) return model.field(head) ?? decline(`path ${path}`);
  if (head !== "properties") return decline(`path ${path}`);
  const rest = segments.slice(1);
  if (!pushableSegments(rest)) decline(`path ${path}`);
  return { sql: sql`json_extract(${model.properties}, ${pointer(rest)})`, kind: "json" };
}

/** A finite DOUBLE (or NULL) for a numeric accessor. */
function numeric(model: Model, a: JqlAccessorPlan | undefined): Sql {
  if (a?.kind !== "path") return decline("numeric accessor");
  const p = pathPart(model, a.path);
  if (p.kind === "number") return p.sql;
  if (p.kind === "text") return sql`CAST(NULL AS DOUBLE)`;
  return jsonNumber(p.sql);
}

const finiteNumbers = (xs: unknown): number[] | undefined => {
  if (!Array.isArray(xs)) return undefined;
  const out: number[] = [];
  for (const x of xs) {
    if (typeof x !== "number" || !Number.isFinite(x)) return undefined;
    out.push(x);
  }
  return out;
};

function keyPart(model: Model, a: JqlAccessorPlan): KeyPart {
  if (a.kind === "path") return pathPart(model, a.path);
  if (a.kind === "numeric_bucket") {
    const v = numeric(model, a.of);
    const b = a.buckets;
    const bounds = finiteNumbers(b);
    if (bounds) {
      if (bounds.length === 0 || bounds.some((x, i) => i > 0 && x <= (bounds[i - 1] as number)))
        return decline("bounds");
      // The lower bound of the bucket the value falls in; below the first bound there is none.
      const whens = [...bounds]
        .reverse()
        .map((x) => sql`WHEN ${v} >= ${sql.literal(x)} THEN CAST(${sql.literal(x)} AS DOUBLE)`);
      return { sql: sql`CASE ${sql.join(whens, " ")} END`, kind: "number" };
    }
    if (b !== null && typeof b === "object" && !Array.isArray(b)) {
      const o = b as Record<string, unknown>;
      const cal = o["calendar"];
      if (typeof cal === "string") {
        // Calendar buckets only of `time` (always a valid date), on the project wall clock.
        if (a.of.kind !== "path" || a.of.path !== "time" || model.projectTime === undefined)
          return decline("calendar bucket");
        const unit =
          cal === "month" ? "month" : cal === "quarter" ? "quarter" : cal === "year" ? "year" : null;
        if (unit === null) return decline("calendar unit");
        return {
          sql: sql`CAST(epoch_ms(date_trunc(${sql.literal(unit)}, epoch_ms(CAST(${model.projectTime} AS BIGINT)))) AS DOUBLE)`,
          kind: "number",
        };
      }
      const size = o["bucket_size"];
      const offset = o["offset"] ?? 0;
      if (typeof size !== "number" || !Number.isFinite(size) || size <= 0) return decline("bucket_size");
      if (typeof offset !== "number" || !Number.isFinite(offset)) return decline("offset");
      // Same IEEE operations as the runtime: Math.floor((v - offset) / size) * size + offset.
      const s = sql.literal(size);
      const off = sql.literal(offset);
      return {
        sql: sql`(floor((${v} - CAST(${off} AS DOUBLE)) / CAST(${s} AS DOUBLE)) * CAST(${s} AS DOUBLE) + CAST(${off} AS DOUBLE))`,
        kind: "number",
      };
    }
    return decline("buckets");
  }
  return decline(a.kind);
}

const nz = (x: number | null | undefined): number => x ?? 0;
/** Adds partial sums/counts position by position (a SQL NULL sum is a sum of nothing: 0). */
const addAll = (a: State, b: State): void => {
  for (let i = 0; i < b.length; i++) a[i] = nz(a[i]) + nz(b[i]);
};

function reducerSpec(model: Model, r: JqlReducerPlan): ReducerSpec {
  if (r.kind !== "builtin") return decline("custom reducer");
  switch (r.name) {
    case "count":
      // Stored events are unsampled (sampling_factor 1): account_for_sampling changes nothing.
      return { parts: [sql`CAST(count(*) AS DOUBLE)`], merge: addAll, done: (s) => nz(s[0]) };
    case "sum":
      return { parts: [sql`sum(${numeric(model, r.accessor)})`], merge: addAll, done: (s) => nz(s[0]) };
    case "min":
    case "max": {
      const v = numeric(model, r.accessor);
      const min = r.name === "min";
      return {
        parts: [min ? sql`min(${v})` : sql`max(${v})`],
        merge: (a, b) => {
          const x = a[0] ?? null;
          const y = b[0] ?? null;
          a[0] = x === null ? y : y === null ? x : min ? Math.min(x, y) : Math.max(x, y);
        },
        // "avg/min/max of nothing is null" (docs/jql.md, known differences).
        done: (s) => s[0] ?? null,
      };
    }
    case "avg":
    case "numeric_summary": {
      const v = numeric(model, r.accessor);
      const summary = r.name === "numeric_summary";
      const parts = [sql`CAST(count(${v}) AS DOUBLE)`, sql`sum(${v})`];
      if (summary) parts.push(sql`sum(${v} * ${v})`);
      return {
        parts,
        merge: addAll,
        done: (s) => {
          const count = nz(s[0]);
          const total = nz(s[1]);
          if (!summary) return count === 0 ? null : total / count;
          if (count === 0) return { count: 0, sum: 0, sum_squares: 0, avg: null, stddev: null };
          const squares = nz(s[2]);
          const mean = total / count;
          // Population standard deviation, exactly as the runtime's numeric_summary computes it.
          const variance = Math.max(0, squares / count - mean * mean);
          return { count, sum: total, sum_squares: squares, avg: mean, stddev: Math.sqrt(variance) };
        },
      };
    }
    case "null":
      return { parts: [], merge: () => undefined, done: () => null };
    default:
      return decline(`reducer ${r.name}`);
  }
}

/** The sandbox's key for one SQL group, or undefined when it would not accept it (it then errs). */
function jsKey(parts: readonly KeyPart[], row: Record<string, unknown>): unknown[] | undefined {
  const key: unknown[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as KeyPart;
    const raw = row[`k${i}`];
    if (raw === null || raw === undefined) {
      // Missing and JSON null are one group in the sandbox too (its group id is the key's JSON).
      key.push(null);
      continue;
    }
    if (p.kind !== "json") {
      key.push(typeof raw === "bigint" ? Number(raw) : raw);
      continue;
    }
    const v: unknown = JSON.parse(raw as string);
    if (Array.isArray(v)) {
      // "A list-valued key is inlined" (JQL reference, groupBy()); non-scalars are an error.
      if (v.some((x) => x !== null && typeof x === "object")) return undefined;
      key.push(...v);
    } else if (v !== null && typeof v === "object") return undefined;
    else key.push(v);
  }
  return key;
}

/**
 * Computes a leading `groupBy` in SQL, or returns `null` when it cannot be done exactly.
 *
 * @example
 * ```ts
 * const rows = await aggregateGroupBy(storage, 1, { source, stage, timezone: "UTC" });
 * // [{ key: ["signup"], value: 42 }, ...] or null
 * ```
 */
export async function aggregateGroupBy(
  storage: StorageAdapter,
  projectId: number,
  request: JqlAggregateRequest,
): Promise<JqlGroupRow[] | null> {
  const { source, stage, timezone } = request;
  let model: Model;
  let from: Sql;
  let filters: Sql[];
  let keys: KeyPart[];
  let reducers: ReducerSpec[];
  try {
    model = source.kind === "events" ? eventModel(timezone) : peopleModel();
    keys = stage.keys.map((k) => keyPart(model, k));
    reducers = stage.reducers.map((r) => reducerSpec(model, r));
    if (source.kind === "events") {
      filters = eventFilters(projectId, source.events, timezone);
      from = eventsFrom(model.usesIdentity.value || selectorsNeedIdentity(source.events));
    } else {
      filters = peopleFilters(projectId, source.people, timezone);
      from = sql`profiles p`;
    }
  } catch (e) {
    if (e instanceof Decline) return null;
    throw e;
  }
  // n_ tells an empty input apart: without keys SQL still returns one row, the sandbox none.
  const columns: Sql[] = [sql`count(*) AS ${sql.ident("n_")}`];
  keys.forEach((k, i) => {
    columns.push(sql`${k.kind === "json" ? sql`CAST(${k.sql} AS VARCHAR)` : k.sql} AS ${sql.ident(`k${i}`)}`);
  });
  const partNames: string[][] = reducers.map((r, i) =>
    r.parts.map((p, j) => {
      const name = `r${i}_${j}`;
      columns.push(sql`${p} AS ${sql.ident(name)}`);
      return name;
    }),
  );
  const groupBy =
    keys.length === 0 ? sql.empty : sql`GROUP BY ${sql.join(keys.map((_, i) => sql.raw(String(i + 2))))}`;
  const rows = await storage.query(sql`SELECT ${sql.join(columns)} FROM ${from}
    WHERE ${sql.join(filters, " AND ")} ${groupBy}`);

  // Several SQL groups can make one sandbox key (JSON 1 and 1.0, a list inlined into its
  // neighbours): merge their partial states.
  const groups = new Map<string, { key: unknown[]; states: State[] }>();
  for (const r of rows) {
    if (Number(r["n_"]) === 0) continue;
    const key = jsKey(keys, r);
    if (key === undefined) return null;
    const states = partNames.map((names) =>
      names.map((n) => {
        const v = r[n];
        return v === null || v === undefined ? null : Number(v);
      }),
    );
    const id = JSON.stringify(key);
    const g = groups.get(id);
    if (g === undefined) groups.set(id, { key, states });
    else
      reducers.forEach((red, i) => {
        red.merge(g.states[i] as State, states[i] as State);
      });
  }
  const out: JqlGroupRow[] = [];
  for (const g of groups.values()) {
    const values = reducers.map((red, i) => red.done(g.states[i] as State));
    out.push({ key: g.key, value: stage.list ? values : values[0] });
  }
  return out;
}
