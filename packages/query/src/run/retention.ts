import type { Params } from "../params/common.js";
import { parseAddiction, parseRetention } from "../params/retention.js";
import { planAddiction } from "../plan/addiction.js";
import { planRetention } from "../plan/retention.js";
import { shapeAddiction, shapeRetention } from "../shape/retention.js";
import { paramContext, type QueryResult, type RunContext } from "./context.js";

/** `/retention` (sections 3.6, 4.3). */
export async function runRetention(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseRetention(p, paramContext(r));
  // Both queries run at once; Promise.all keeps a failure of either from going unhandled.
  const [overall, segmented] = await Promise.all([
    r.storage.query(planRetention(r.project, q, false, r.dialect)),
    q.on === undefined ? undefined : r.storage.query(planRetention(r.project, q, true, r.dialect)),
  ]);
  return { json: shapeRetention(overall, segmented, q, r.nowMs) };
}

/** `/retention/addiction` (sections 3.7, 4.4). */
export async function runAddiction(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseAddiction(p, paramContext(r));
  const [overall, segmented] = await Promise.all([
    r.storage.query(planAddiction(r.project, q, false, r.dialect)),
    q.on === undefined ? undefined : r.storage.query(planAddiction(r.project, q, true, r.dialect)),
  ]);
  return { json: shapeAddiction(overall, segmented, q, r.project.timezone) };
}
