import type { Expr } from "@mpkit/expr";
import { badRequest } from "../errors.js";
import { bool, integer, opt, type Params, parseExpression, stringArray } from "./common.js";

/** A parsed `/engage` query (section 3.14). */
export interface EngageRequest {
  readonly where?: Expr | undefined;
  readonly distinctIds?: readonly string[] | undefined;
  /** `''` for user profiles, else the group key (`data_group_id`). */
  readonly groupKey: string;
  readonly outputProperties?: readonly string[] | undefined;
  readonly page: number;
  readonly pageSize: number;
  readonly sessionId?: string | undefined;
  readonly cohortId?: number | undefined;
  readonly includeAllUsers: boolean;
  readonly asOfMs?: number | undefined;
}

/** Mixpanel's page size, also the maximum (section 3.14 "Pagination"). */
export const ENGAGE_PAGE_SIZE = 1000;

/**
 * Parses `/engage`: `where` (or the older `selector`), `distinct_id` / `distinct_ids`, `data_group_id`,
 * `output_properties`, `session_id` + `page` (a page after the first needs the `session_id` the first
 * page returned), `page_size` (≤ 1000), `filter_by_cohort` (`{"id": N}`), `include_all_users`,
 * `as_of_timestamp`.
 *
 * @example
 * ```ts
 * parseEngage(new URLSearchParams('where=properties["plan"]=="pro"'));
 * ```
 */
export function parseEngage(p: Params): EngageRequest {
  const whereText = opt(p, "where") ?? opt(p, "selector");
  const one = opt(p, "distinct_id");
  const many = stringArray(p, "distinct_ids");
  const page = integer(p, "page", 0, 1_000_000, 0);
  const sessionId = opt(p, "session_id");
  if (page > 0 && sessionId === undefined)
    throw badRequest("'session_id' is required when 'page' is greater than 0");
  let cohortId: number | undefined;
  const cohort = opt(p, "filter_by_cohort");
  if (cohort !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(cohort);
    } catch {
      parsed = undefined;
    }
    const id = typeof parsed === "number" ? parsed : (parsed as { id?: unknown } | undefined)?.id;
    if (typeof id !== "number" || !Number.isInteger(id)) {
      throw badRequest(`'filter_by_cohort' must be a JSON object like {"id": 123}`);
    }
    cohortId = id;
  }
  const asOf = integer(p, "as_of_timestamp", 0, Number.MAX_SAFE_INTEGER);
  return {
    where: whereText === undefined ? undefined : parseExpression("where", whereText),
    distinctIds: one !== undefined ? [one, ...(many ?? [])] : many,
    groupKey: opt(p, "data_group_id") ?? "",
    outputProperties: stringArray(p, "output_properties"),
    page,
    pageSize: integer(p, "page_size", 1, ENGAGE_PAGE_SIZE, ENGAGE_PAGE_SIZE),
    sessionId,
    cohortId,
    includeAllUsers: bool(p, "include_all_users", true),
    asOfMs: asOf === undefined ? undefined : asOf * 1000,
  };
}
