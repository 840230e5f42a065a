import type {
  JqlDataSource,
  JqlEvent,
  JqlEventQuery,
  JqlEventSelector,
  JqlJoinTuple,
  JqlPeopleQuery,
  JqlPlan,
  JqlSourcePlan,
  JqlStagePlan,
  JqlUser,
} from "./source.js";
import { dayRangeToUtc, toProjectTime } from "./time.js";

/** The raw plan JSON the sandbox produces (see runtime/entry.ts). */
interface RawPlan {
  source: {
    kind: "events" | "people" | "join";
    events?: { from_date: string; to_date: string; event_selectors: JqlEventSelector[] };
    people?: { user_selectors: { selector: string }[] };
    type?: "full" | "left" | "right" | "inner";
    selectors?: JqlEventSelector[];
  };
  stages: JqlStagePlan[];
}

/** Thrown when the script asked for something the data layer cannot give (bad date, unsupported join selector). */
export class PlanError extends Error {}

function eventQuery(raw: NonNullable<RawPlan["source"]["events"]>, timezone: string): JqlEventQuery {
  let range: { fromMs: number; toMs: number };
  try {
    range = dayRangeToUtc(raw.from_date, raw.to_date, timezone);
  } catch {
    throw new PlanError(`Events(): invalid date range ${raw.from_date} to ${raw.to_date}`);
  }
  const selectors = raw.event_selectors;
  const names = new Set<string>();
  let all = selectors.length === 0;
  for (const s of selectors) {
    if (s.event === undefined) all = true;
    else names.add(s.event);
  }
  return {
    fromDate: raw.from_date,
    toDate: raw.to_date,
    ...range,
    timezone,
    selectors,
    eventNames: all ? null : [...names],
  };
}

function peopleQuery(raw: RawPlan["source"]["people"]): JqlPeopleQuery {
  return { selectors: raw?.user_selectors ?? [] };
}

/** Turns the sandbox's description of `main()`'s chain into the typed plan the host and sources use. */
export function toPlan(json: string, timezone: string): JqlPlan {
  const raw = JSON.parse(json) as RawPlan;
  const s = raw.source;
  let source: JqlSourcePlan;
  if (s.kind === "events" && s.events) source = { kind: "events", events: eventQuery(s.events, timezone) };
  else if (s.kind === "people") source = { kind: "people", people: peopleQuery(s.people) };
  else if (s.kind === "join" && s.events)
    source = {
      kind: "join",
      events: eventQuery(s.events, timezone),
      people: peopleQuery(s.people),
      type: s.type ?? "full",
      selectors: s.selectors ?? [],
    };
  else throw new PlanError("main() returned a collection without a data source");
  return { source, stages: raw.stages };
}

/** Shifts times into project time and fixes the field set scripts see (JQL reference, object specifications). */
function eventView(e: JqlEvent, shift: (ms: number) => number) {
  return {
    name: e.name,
    distinct_id: e.distinct_id,
    time: shift(e.time),
    sampling_factor: e.sampling_factor ?? 1,
    properties: e.properties,
  };
}
function userView(u: JqlUser, shift: (ms: number) => number) {
  return {
    distinct_id: u.distinct_id,
    time: u.time === undefined ? undefined : shift(u.time),
    last_seen: u.last_seen === undefined ? undefined : shift(u.last_seen),
    properties: u.properties,
  };
}

async function* rechunk<T>(batches: AsyncIterable<readonly T[]>, size: number): AsyncGenerator<readonly T[]> {
  for await (const batch of batches) {
    if (batch.length <= size) {
      if (batch.length > 0) yield batch;
    } else for (let i = 0; i < batch.length; i += size) yield batch.slice(i, i + size);
  }
}

function joinMatcher(
  selectors: readonly JqlEventSelector[],
  source: JqlDataSource,
): ((t: JqlJoinTuple) => boolean) | undefined {
  if (selectors.length === 0) return undefined;
  const match = source.matchJoinSelector?.bind(source);
  if (selectors.some((s) => s.selector !== undefined) && !match)
    throw new PlanError("join(): this data source cannot evaluate join selectors");
  // "A record is retrieved if it matches any of the selector objects" (JQL reference, join()).
  return (t) =>
    selectors.some(
      (s) =>
        (s.event === undefined || t.event?.name === s.event) &&
        (s.selector === undefined || (match as NonNullable<typeof match>)(s.selector, t)),
    );
}

/**
 * The data of a plan as JSON batches ready for the sandbox, at most `batchSize` items each.
 * `join()` is done here, on the host, because its selectors need the expression evaluator the
 * source owns: profiles are loaded first, then events stream past them.
 */
export async function* feed(
  plan: JqlPlan,
  source: JqlDataSource,
  timezone: string,
  batchSize: number,
): AsyncGenerator<string> {
  const shift = toProjectTime(timezone);
  const src = plan.source;
  if (src.kind === "events") {
    for await (const b of rechunk(source.events(src.events), batchSize))
      yield JSON.stringify(b.map((e) => eventView(e, shift)));
    return;
  }
  if (src.kind === "people") {
    for await (const b of rechunk(source.people(src.people), batchSize))
      yield JSON.stringify(b.map((u) => userView(u, shift)));
    return;
  }
  const keep = joinMatcher(src.selectors, source);
  const users = new Map<string, JqlUser>();
  for await (const b of source.people(src.people)) for (const u of b) users.set(u.distinct_id, u);
  const matched = new Set<string>();
  for await (const b of rechunk(source.events(src.events), batchSize)) {
    const out: unknown[] = [];
    for (const e of b) {
      const user = e.distinct_id === undefined ? undefined : users.get(e.distinct_id);
      // inner and right joins need a profile; left and full keep events without one.
      if (!user && (src.type === "inner" || src.type === "right")) continue;
      const tuple: JqlJoinTuple = { distinct_id: e.distinct_id, event: e, user };
      if (keep && !keep(tuple)) continue;
      if (user) matched.add(user.distinct_id);
      out.push({
        distinct_id: e.distinct_id,
        event: eventView(e, shift),
        user: user ? userView(user, shift) : undefined,
      });
    }
    if (out.length > 0) yield JSON.stringify(out);
  }
  // full and right joins also yield profiles that had no (selected) events, without `event`.
  if (src.type === "full" || src.type === "right") {
    let out: unknown[] = [];
    for (const u of users.values()) {
      if (matched.has(u.distinct_id)) continue;
      if (keep && !keep({ distinct_id: u.distinct_id, user: u })) continue;
      out.push({ distinct_id: u.distinct_id, user: userView(u, shift) });
      if (out.length >= batchSize) {
        yield JSON.stringify(out);
        out = [];
      }
    }
    if (out.length > 0) yield JSON.stringify(out);
  }
}
