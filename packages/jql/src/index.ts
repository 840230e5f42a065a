/**
 * @mpkit/jql: Mixpanel's JavaScript Query Language, run in a killable QuickJS (WASM) sandbox.
 * The server calls `runJql` / `runJqlToJson` with a project's `JqlDataSource`.
 */
export {
  JqlError,
  JqlInternalError,
  JqlMemoryError,
  JqlOutputLimitError,
  JqlRuntimeError,
  type JqlSourcePosition,
  JqlSyntaxError,
  JqlTimeoutError,
  toMixpanelErrorBody,
} from "./errors.js";
export { createMemorySource, type MemorySourceOptions, type SelectorMatcher } from "./memory-source.js";
export { type RunJqlOptions, runJql, runJqlToJson } from "./run.js";
export { DEFAULT_LIMITS, type JqlLimits } from "./sandbox/limits.js";
export type {
  JqlAccessorPlan,
  JqlAggregateRequest,
  JqlDataSource,
  JqlEvent,
  JqlEventQuery,
  JqlEventSelector,
  JqlGroupRow,
  JqlGroupStagePlan,
  JqlJoinTuple,
  JqlPeopleQuery,
  JqlPlan,
  JqlReducerPlan,
  JqlSourcePlan,
  JqlStagePlan,
  JqlUser,
} from "./source.js";
