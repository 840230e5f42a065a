/**
 * Mixpanel's segmentation expression language: one parser, an in-memory evaluator and a SQL compiler
 * that agree on every expression (see docs/expression-language.md).
 */
export type { BinaryOp, Expr, LiteralValue, PropertySource, ScalarLiteral, UnaryOp } from "./ast.js";
export { ExprError } from "./errors.js";
export { evaluate, matches, type Scope } from "./evaluate.js";
export { FUNCTIONS, type FunctionName, type FunctionSpec } from "./functions.js";
export { parse } from "./parser.js";
export { segmentName, segmentOf } from "./segment-name.js";
export { type CompileContext, compileSegment, compileWhere, ExprCompiler } from "./sql/compile.js";
export type { BoundColumn, ExprDialect, JsonKind } from "./sql/dialect.js";
export { duckdbExprDialect } from "./sql/duckdb.js";
export { offsetAt } from "./time-zone.js";
export { type ExprOptions, MpDate, type MpObject, type TypeName, typeOf, type Value } from "./values.js";
