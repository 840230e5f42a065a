/**
 * The syntax tree shared by the evaluator and the SQL compiler. One tree, two back ends: that is what
 * keeps them in agreement.
 */

/** A scalar that may appear inside a list literal. */
export type ScalarLiteral = string | number | boolean | null;

/** A literal value: scalars, `undefined`, and list literals such as `[1, "a", true]`. */
export type LiteralValue = ScalarLiteral | undefined | readonly ScalarLiteral[];

/** Where a bracketed property access reads from. */
export type PropertySource = "properties" | "user" | "event";

export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "=="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "in"
  | "and"
  | "or";

export type UnaryOp = "-" | "not";

/** One node of the tree; `pos` is the 0-based offset of the node's first character. */
export type Expr =
  | { readonly type: "literal"; readonly value: LiteralValue; readonly pos: number }
  | {
      readonly type: "property";
      readonly source: PropertySource;
      readonly name: string;
      readonly pos: number;
    }
  | { readonly type: "variable"; readonly name: string; readonly pos: number }
  | { readonly type: "unary"; readonly op: UnaryOp; readonly arg: Expr; readonly pos: number }
  | {
      readonly type: "binary";
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly pos: number;
    }
  | { readonly type: "call"; readonly name: string; readonly args: readonly Expr[]; readonly pos: number }
  | {
      readonly type: "any";
      readonly variable: string;
      readonly list: Expr;
      readonly predicate: Expr;
      readonly pos: number;
    };
