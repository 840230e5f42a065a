/**
 * Mixpanel's Query API semantics over the mpkit storage layout: parameters are parsed into typed
 * requests (`params/`), planned as SQL (`plan/`), run on storage and shaped into Mixpanel's JSON or CSV
 * (`shape/`). See docs/query-api.md.
 */
export {
  type Bucketing,
  bucketKey,
  bucketOfLocal,
  bucketRange,
  dateOfDay,
  dayNumber,
  mondayOf,
  type Unit,
  utcRange,
} from "./buckets.js";
export { duckdbQueryDialect, type QueryDialect } from "./dialect.js";
export { ENDPOINTS, type Endpoint, QueryEngine } from "./engine.js";
export { badRequest, QueryError } from "./errors.js";
export type { Params } from "./params/common.js";
export type { ProjectRef } from "./project.js";
export { type QueryStorage, ReportStore } from "./reports/store.js";
export type {
  BehaviorRule,
  CohortDefinition,
  FunnelDefinition,
  FunnelStepDefinition,
  InsightDefinition,
  ReportKind,
  ReportKinds,
  SavedReport,
} from "./reports/types.js";
export { validateReport } from "./reports/validate.js";
export type { QueryResult } from "./run/context.js";
export { localToUtc, offsetAt } from "./time-zone.js";
