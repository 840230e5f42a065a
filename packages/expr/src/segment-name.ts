import type { Expr } from "./ast.js";
import { evaluate, type Scope } from "./evaluate.js";
import { type ExprOptions, segmentName } from "./values.js";

export { segmentName };

/**
 * The segment name of an `on` expression for one event or profile: the same text as the SQL grouping key
 * from `compileSegment` (`"true"`, `"42"`, `"1.5"`, `"undefined"`, `"null"`, ISO dates).
 *
 * @example
 * ```ts
 * segmentOf(parse('properties["n"]'), { properties: { n: 42 } }) // "42"
 * ```
 */
export function segmentOf(expr: Expr, scope: Scope, options: ExprOptions = {}): string {
  return segmentName(evaluate(expr, scope, options), options);
}
