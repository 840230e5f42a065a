import { compileWhere, duckdbExprDialect, parse } from "@mpkit/expr";
import type { WhereCompiler } from "./where.js";

/**
 * The expression-language `where` over the storage's event columns (DuckDB's dialect). The text is
 * parsed at once, so a syntax error becomes a 400 before any data is read.
 */
export const defaultWhereCompiler: WhereCompiler = (expression, timezone) => {
  const tree = parse(expression);
  return (columns) =>
    compileWhere(tree, {
      dialect: duckdbExprDialect,
      properties: columns.properties,
      time: columns.timeMs,
      distinctId: columns.distinctId,
      timezone,
    });
};
