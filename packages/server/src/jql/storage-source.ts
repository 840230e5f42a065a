import { compileWhere, duckdbExprDialect, type Expr, ExprError, matches, parse } from "@mpkit/expr";
import type {
  JqlDataSource,
  JqlEvent,
  JqlEventQuery,
  JqlJoinTuple,
  JqlPeopleQuery,
  JqlUser,
} from "@mpkit/jql";
import { type Sql, sql } from "@mpkit/sql";
import type { StorageAdapter } from "@mpkit/storage";
import { aggregateGroupBy } from "./aggregate.js";

/** Options of {@link createStorageJqlSource}. */
export interface StorageJqlSourceOptions {
  readonly storage: StorageAdapter;
  /** The ONLY project this source reads: every statement is bound to it. */
  readonly projectId: number;
  /** The project's IANA time zone (selectors read `datetime(...)` text in it). */
  readonly timezone: string;
  /**
   * Target rows per ordered window when streaming events. Events must arrive in time order
   * (`groupByUser` relies on it) and DuckDB's ORDER BY materializes its whole input, so large
   * ranges are read as consecutive time windows, each sorted on its own. @default 250000
   */
  readonly windowRows?: number;
  /** Pushdown of a leading `groupBy` into SQL (see aggregate.ts). @default true */
  readonly aggregate?: boolean;
}

/**
 * A selector that does not parse is the script's mistake: the route answers 400 with the
 * expression language's message, as `where` does on the other read endpoints.
 */
export class JqlSelectorError extends Error {
  override readonly name = "JqlSelectorError";
  constructor(
    readonly selector: string,
    override readonly cause: ExprError,
  ) {
    super(`invalid selector ${JSON.stringify(selector)}: ${cause.message}`);
  }
}

/** Parses a selector, wrapping the expression language's error with the selector text. */
export function parseSelector(selector: string): Expr {
  try {
    return parse(selector);
  } catch (e) {
    if (e instanceof ExprError) throw new JqlSelectorError(selector, e);
    throw e;
  }
}

/** The columns of the event statements (alias `e` on events, `i` on identities). */
export const EVENT_COLUMNS = {
  event: sql.raw("e.event"),
  timeMs: sql.raw("e.time_ms"),
  /** Identity resolution: the cluster's canonical id, else the id as sent. */
  distinctId: sql.raw("COALESCE(i.canonical_id, e.distinct_id)"),
  properties: sql.raw("e.properties"),
} as const;

const FROM_EVENTS = sql`events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.distinct_id = e.distinct_id`;
const FROM_EVENTS_NO_IDENTITY = sql`events e`;

/**
 * WHERE conditions of `Events({...})`: project, UTC time range, event names and the selectors
 * compiled by the expression language. "An event is kept if it matches any entry" (JQL reference,
 * Events()), hence one OR over `(name AND selector)` pairs.
 */
export function eventFilters(projectId: number, q: JqlEventQuery, timezone: string): Sql[] {
  const filters = [
    sql`e.project_id = ${projectId}`,
    sql`e.time_ms >= ${q.fromMs}`,
    sql`e.time_ms < ${q.toMs}`,
  ];
  if (q.eventNames !== null) {
    // Cheap column test first, so DuckDB skips most rows before any JSON is read.
    filters.push(
      q.eventNames.length === 0
        ? sql`FALSE`
        : sql`e.event IN (${sql.join(q.eventNames.map((n) => sql`${n}`))})`,
    );
  }
  const alternatives: Sql[] = [];
  let unconditional = q.selectors.length === 0;
  for (const s of q.selectors) {
    const parts: Sql[] = [];
    if (s.event !== undefined) parts.push(sql`e.event = ${s.event}`);
    if (s.selector !== undefined && s.selector.trim() !== "") {
      parts.push(
        compileWhere(parseSelector(s.selector), {
          dialect: duckdbExprDialect,
          properties: EVENT_COLUMNS.properties,
          time: EVENT_COLUMNS.timeMs,
          distinctId: EVENT_COLUMNS.distinctId,
          timezone,
        }),
      );
    }
    if (parts.length === 0) unconditional = true;
    else alternatives.push(sql`(${sql.join(parts, " AND ")})`);
  }
  if (!unconditional) filters.push(sql`(${sql.join(alternatives, " OR ")})`);
  return filters;
}

/** True when the compiled filters read the resolved distinct id (a selector may). */
export function selectorsNeedIdentity(q: JqlEventQuery): boolean {
  return q.selectors.some((s) => s.selector !== undefined && s.selector.trim() !== "");
}

/** The FROM clause: the identity join only when something reads the resolved id. */
export function eventsFrom(needIdentity: boolean): Sql {
  return needIdentity ? FROM_EVENTS : FROM_EVENTS_NO_IDENTITY;
}

/** WHERE conditions of `People({user_selectors})` over `profiles p` (user profiles only). */
export function peopleFilters(projectId: number, q: JqlPeopleQuery, timezone: string): Sql[] {
  // group_key '' holds user profiles; group profiles are not JQL People (JQL reference, People()).
  const filters = [sql`p.project_id = ${projectId}`, sql`p.group_key = ''`];
  const alternatives: Sql[] = [];
  let unconditional = q.selectors.length === 0;
  for (const s of q.selectors) {
    if (s.selector === undefined || s.selector.trim() === "") {
      unconditional = true;
      continue;
    }
    // "The selector sees profile properties only": both `properties[...]` and `user[...]` read them.
    alternatives.push(
      compileWhere(parseSelector(s.selector), {
        dialect: duckdbExprDialect,
        properties: sql.raw("p.properties"),
        user: sql.raw("p.properties"),
        timezone,
      }),
    );
  }
  if (!unconditional && alternatives.length > 0) filters.push(sql`(${sql.join(alternatives, " OR ")})`);
  return filters;
}

const toNumber = (v: unknown): number => (typeof v === "bigint" ? Number(v) : Number(v));

/** `$last_seen` is stored as Mixpanel datetime text (`YYYY-MM-DDTHH:MM:SS`, UTC). */
function lastSeenMs(props: Record<string, unknown>): number | undefined {
  const v = props["$last_seen"];
  if (typeof v !== "string") return undefined;
  const ms = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A {@link JqlDataSource} over the server's storage, bound to one project.
 *
 * - `events()`: date range, event names and selectors are pushed into SQL; rows come back in
 *   ascending time with the resolved identity (`COALESCE(canonical_id, distinct_id)`), `time` in
 *   UTC ms (the JQL runtime shifts it into the project zone, per the `JqlEvent` contract).
 * - `people()`: user profiles, selectors pushed into SQL.
 * - `matchJoinSelector()`: `join()` selectors in memory with the same expression language.
 * - `aggregate()`: a leading `groupBy` with built-in reducers as one SQL `GROUP BY`.
 *
 * @example
 * ```ts
 * const source = createStorageJqlSource({ storage: ctx.storage, projectId: project.id, timezone: project.timezone });
 * const json = await runJqlToJson({ script, params, source, timezone: project.timezone });
 * ```
 */
export function createStorageJqlSource(options: StorageJqlSourceOptions): JqlDataSource {
  const { storage, projectId, timezone } = options;
  const windowRows = Math.max(1, options.windowRows ?? 250_000);
  const trees = new Map<string, Expr>();
  const tree = (s: string): Expr => {
    let t = trees.get(s);
    if (t === undefined) {
      t = parseSelector(s);
      trees.set(s, t);
    }
    return t;
  };

  async function* orderedWindow(select: Sql, from: Sql, filters: Sql[], lo: number, hi: number) {
    const stmt = sql`SELECT ${select} FROM ${from}
      WHERE ${sql.join([...filters, sql`e.time_ms >= ${lo}`, sql`e.time_ms < ${hi}`], " AND ")}
      ORDER BY e.time_ms`;
    for await (const rows of storage.stream(stmt)) {
      const out: JqlEvent[] = new Array(rows.length);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k] as Record<string, unknown>;
        const id = r["distinct_id"] as string;
        out[k] = {
          name: r["name"] as string,
          // JQL: "distinct_id is undefined when missing".
          distinct_id: id === "" ? undefined : id,
          time: r["time"] as number,
          sampling_factor: 1,
          properties: JSON.parse(r["properties"] as string) as Record<string, unknown>,
        };
      }
      yield out;
    }
  }

  const source: JqlDataSource = {
    async *events(q) {
      const filters = eventFilters(projectId, q, timezone);
      const from = FROM_EVENTS;
      const select = sql`e.event AS name, ${EVENT_COLUMNS.distinctId} AS distinct_id,
        CAST(e.time_ms AS DOUBLE) AS time, CAST(e.properties AS VARCHAR) AS properties`;
      // Size the windows from the cheap columns only (no JSON, no join): one scan of time/event.
      const cheap = eventFilters(projectId, { ...q, selectors: [] }, timezone);
      const [stats] = await storage.query(sql`SELECT count(*) AS n, min(e.time_ms) AS lo, max(e.time_ms) AS hi
        FROM events e WHERE ${sql.join(cheap, " AND ")}`);
      const n = toNumber(stats?.["n"] ?? 0);
      if (n === 0) return;
      const lo = toNumber(stats?.["lo"]);
      const hi = toNumber(stats?.["hi"]) + 1;
      const windows = Math.ceil(n / windowRows);
      const width = Math.max(1, Math.ceil((hi - lo) / windows));
      for (let start = lo; start < hi; start += width)
        yield* orderedWindow(select, from, filters, start, Math.min(hi, start + width));
    },

    async *people(q) {
      const filters = peopleFilters(projectId, q, timezone);
      const stmt = sql`SELECT p.id AS id, CAST(p.properties AS VARCHAR) AS properties FROM profiles p
        WHERE ${sql.join(filters, " AND ")} ORDER BY p.id`;
      for await (const rows of storage.stream(stmt)) {
        yield rows.map((r): JqlUser => {
          const properties = JSON.parse(r["properties"] as string) as Record<string, unknown>;
          // We keep only $last_seen: it is both the last update and the last $set.
          const seen = lastSeenMs(properties);
          return { distinct_id: r["id"] as string, time: seen, last_seen: seen, properties };
        });
      }
    },

    matchJoinSelector(selector: string, t: JqlJoinTuple): boolean {
      // join() selectors "see both properties[...] and user[...]" (reference 5.2).
      const scope: {
        properties?: Readonly<Record<string, unknown>>;
        user?: Readonly<Record<string, unknown>>;
        timeMs?: number;
        distinctId?: string;
      } = {};
      if (t.event) {
        scope.properties = t.event.properties;
        scope.timeMs = t.event.time;
      }
      if (t.user) scope.user = t.user.properties;
      if (t.distinct_id !== undefined) scope.distinctId = t.distinct_id;
      return matches(tree(selector), scope, { timezone });
    },
  };
  if (options.aggregate !== false) {
    source.aggregate = (request) => aggregateGroupBy(storage, projectId, request);
  }
  return source;
}
