import { duckdbQueryDialect, type QueryDialect } from "./dialect.js";
import type { Params } from "./params/common.js";
import type { ProjectRef } from "./project.js";
import { type QueryStorage, ReportStore } from "./reports/store.js";
import type { QueryResult, RunContext } from "./run/context.js";
import {
  runEventNames,
  runEventProperties,
  runEvents,
  runEventsTop,
  runPropertiesTop,
  runPropertyValues,
} from "./run/events.js";
import { runFunnel, runFunnelList } from "./run/funnels.js";
import { runInsights } from "./run/insights.js";
import { runCohortList, runEngage } from "./run/profiles.js";
import { runAddiction, runRetention } from "./run/retention.js";
import { runNumeric, runSegmentation, runSumOrAverage } from "./run/segmentation.js";
import { runStream } from "./run/stream.js";

/** Query API endpoints by path below `/api/query/` (or `/api/2.0/`). */
export const ENDPOINTS = {
  segmentation: runSegmentation,
  "segmentation/numeric": runNumeric,
  "segmentation/sum": (r: RunContext, p: Params) => runSumOrAverage(r, p, "sum"),
  "segmentation/average": (r: RunContext, p: Params) => runSumOrAverage(r, p, "average"),
  events: runEvents,
  "events/top": runEventsTop,
  "events/names": runEventNames,
  "events/properties": runEventProperties,
  "events/properties/top": runPropertiesTop,
  "events/properties/values": runPropertyValues,
  funnels: runFunnel,
  "funnels/list": (r: RunContext) => runFunnelList(r),
  retention: runRetention,
  "retention/addiction": runAddiction,
  engage: runEngage,
  "engage/query": runEngage,
  "cohorts/list": (r: RunContext) => runCohortList(r),
  insights: runInsights,
  "stream/query": runStream,
} as const satisfies Record<string, (r: RunContext, p: Params) => Promise<QueryResult>>;

export type Endpoint = keyof typeof ENDPOINTS;

/**
 * Runs Query API requests: parameters → plan (SQL) → storage → Mixpanel-shaped response. Parameter
 * and expression problems surface as `QueryError` (status + message) before any data is read.
 *
 * @example
 * ```ts
 * const engine = new QueryEngine(storage);
 * const res = await engine.run("segmentation", { id: 1, timezone: "UTC" },
 *   new URLSearchParams("event=Login&from_date=2024-01-01&to_date=2024-01-07"), Date.now());
 * ```
 */
export class QueryEngine {
  readonly reports: ReportStore;

  constructor(
    readonly storage: QueryStorage,
    readonly dialect: QueryDialect = duckdbQueryDialect,
  ) {
    this.reports = new ReportStore(storage);
  }

  /** Answers one endpoint. */
  run(endpoint: Endpoint, project: ProjectRef, params: Params, nowMs: number): Promise<QueryResult> {
    const ctx: RunContext = {
      storage: this.storage,
      reports: this.reports,
      dialect: this.dialect,
      project,
      nowMs,
    };
    return ENDPOINTS[endpoint](ctx, params);
  }
}
