import { QueryError } from "../errors.js";
import type { Params } from "../params/common.js";
import { funnelId, parseFunnel } from "../params/funnels.js";
import { planFunnel } from "../plan/funnels.js";
import { shapeFunnel } from "../shape/funnels.js";
import { paramContext, type QueryResult, type RunContext } from "./context.js";

/** `/funnels` (sections 3.4, 4.2) over a saved funnel. */
export async function runFunnel(r: RunContext, p: Params): Promise<QueryResult> {
  const id = funnelId(p);
  const saved = await r.reports.get(r.project.id, "funnel", id);
  if (saved === undefined) throw new QueryError(400, `funnel_id ${id} does not exist`);
  const f = parseFunnel(p, paramContext(r), id, saved.definition);
  // Both queries run at once; Promise.all keeps a failure of either from going unhandled.
  const [overall, segmented] = await Promise.all([
    r.storage.query(planFunnel(r.project, f, undefined, r.dialect)),
    f.on === undefined ? undefined : r.storage.query(planFunnel(r.project, f, f.on, r.dialect)),
  ]);
  return { json: shapeFunnel(overall, segmented, f) };
}

/** `/funnels/list` (section 3.5): `[{"funnel_id", "name"}]`. */
export async function runFunnelList(r: RunContext): Promise<QueryResult> {
  const funnels = await r.reports.list(r.project.id, "funnel");
  return { json: funnels.map((f) => ({ funnel_id: f.id, name: f.definition.name })) };
}
