import type { QueryDialect } from "../dialect.js";
import type { ParamContext } from "../params/common.js";
import type { ProjectRef } from "../project.js";
import type { QueryStorage, ReportStore } from "../reports/store.js";

/** What one endpoint run needs: storage, saved reports, the dialect, the project and the clock. */
export interface RunContext {
  readonly storage: QueryStorage;
  readonly reports: ReportStore;
  readonly dialect: QueryDialect;
  readonly project: ProjectRef;
  readonly nowMs: number;
}

/** A response body: JSON, or CSV text for `format=csv`. */
export type QueryResult = { readonly json: unknown } | { readonly csv: string };

/** The parameter context of a run. */
export function paramContext(r: RunContext): ParamContext {
  return { timezone: r.project.timezone, nowMs: r.nowMs };
}
