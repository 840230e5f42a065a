import { badRequest } from "../errors.js";
import { dateRange, integer, type ParamContext, type Params, stringArray } from "./common.js";

/** A parsed `/stream/query` request (section 3.17). */
export interface StreamRequest {
  readonly distinctIds: readonly string[];
  readonly fromDay: number;
  readonly toDay: number;
  readonly limit: number;
}

/**
 * Parses `/stream/query`: `distinct_ids` (JSON array), dates, `limit` (RMixpanel passes it).
 *
 * @example
 * ```ts
 * parseStream(new URLSearchParams('distinct_ids=["u1"]&from_date=2024-01-01&to_date=2024-01-02'), ctx);
 * ```
 */
export function parseStream(p: Params, ctx: ParamContext): StreamRequest {
  const distinctIds = stringArray(p, "distinct_ids");
  if (distinctIds === undefined) throw badRequest("'distinct_ids' is a required parameter");
  return { distinctIds, ...dateRange(p, ctx), limit: integer(p, "limit", 1, 100_000, 1000) };
}
