import type { Params } from "../params/common.js";
import { parseStream } from "../params/stream.js";
import { planStream } from "../plan/stream.js";
import { num } from "../shape/numbers.js";
import { paramContext, type QueryResult, type RunContext } from "./context.js";

/**
 * `/stream/query` (section 3.17): the users' events, oldest first, `time` in unix seconds and
 * `distinct_id` (the resolved id) inside `properties` (open question Q10).
 */
export async function runStream(r: RunContext, p: Params): Promise<QueryResult> {
  const q = parseStream(p, paramContext(r));
  const rows = await r.storage.query(planStream(r.project, q));
  const events = rows.map((row) => ({
    event: String(row["event"]),
    properties: {
      time: Math.floor(num(row["time_ms"]) / 1000),
      distinct_id: String(row["uid"]),
      ...(JSON.parse(String(row["properties"])) as Record<string, unknown>),
    },
  }));
  return { json: { status: "ok", results: { events } } };
}
