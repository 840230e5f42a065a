import { createHash } from "node:crypto";
import { sql } from "@mpkit/sql";
import { QueryError } from "../errors.js";
import type { Params } from "../params/common.js";
import { parseEngage } from "../params/engage.js";
import { planCohortMembers } from "../plan/cohorts.js";
import { planEngage } from "../plan/engage.js";
import { num } from "../shape/numbers.js";
import type { QueryResult, RunContext } from "./context.js";

/**
 * A stateless `session_id`: a digest of the query, so every page of one query carries the same id and
 * nothing is cached server-side (pages are re-read in id order).
 */
function sessionOf(projectId: number, p: Params): string {
  const names = [
    "where",
    "selector",
    "distinct_id",
    "distinct_ids",
    "data_group_id",
    "filter_by_cohort",
    "include_all_users",
  ];
  const h = createHash("sha256").update(String(projectId));
  for (const n of names) h.update(`\u0000${n}=${p.get(n) ?? ""}`);
  return h.digest("hex").slice(0, 16);
}

/** `/engage` (section 3.14). */
export async function runEngage(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseEngage(p);
  let members: ReturnType<typeof planCohortMembers> | undefined;
  if (q.cohortId !== undefined) {
    const cohort = await r.reports.get(r.project.id, "cohort", q.cohortId);
    if (cohort === undefined) throw new QueryError(400, `cohort ${q.cohortId} does not exist`);
    members = planCohortMembers(r.project, cohort.definition, q.asOfMs ?? r.nowMs);
  }
  const rows = await r.storage.query(planEngage(r.project, q, members));
  const keep = q.outputProperties === undefined ? undefined : new Set(q.outputProperties);
  const results = rows.map((row) => {
    let props = JSON.parse(String(row["properties"])) as Record<string, unknown>;
    if (keep !== undefined) props = Object.fromEntries(Object.entries(props).filter(([k]) => keep.has(k)));
    return { $distinct_id: String(row["id"]), $properties: props };
  });
  let total = num(rows[0]?.["total"] ?? 0);
  if (rows.length === 0 && q.page > 0) {
    // Past the last page the window count has no row to ride on: count the matches on their own.
    const [first] = await r.storage.query(planEngage(r.project, { ...q, page: 0, pageSize: 1 }, members));
    total = num(first?.["total"] ?? 0);
  }
  return {
    json: {
      page: q.page,
      page_size: q.pageSize,
      results,
      session_id: q.sessionId ?? sessionOf(r.project.id, p),
      status: "ok",
      total,
    },
  };
}

/** `/cohorts/list` (section 3.15). */
export async function runCohortList(r: RunContext): Promise<QueryResult> {
  const cohorts = await r.reports.list(r.project.id, "cohort");
  const out = [];
  for (const c of cohorts) {
    const [row] = await r.storage.query(
      sql`SELECT count(*) AS n FROM (${planCohortMembers(r.project, c.definition, r.nowMs)})`,
    );
    out.push({
      count: num(row?.["n"] ?? 0),
      is_visible: c.definition.is_visible === false ? 0 : 1,
      description: c.definition.description ?? "",
      created: new Date(c.createdMs).toISOString().slice(0, 19).replace("T", " "),
      project_id: r.project.id,
      id: c.id,
      name: c.definition.name,
      data_group_id: null,
    });
  }
  return { json: out };
}
