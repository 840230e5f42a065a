import type { BinaryOp, Expr, LiteralValue, PropertySource, ScalarLiteral } from "./ast.js";
import { ExprError, syntaxError } from "./errors.js";
import { FUNCTIONS, lookupFunction } from "./functions.js";
import { describe, type Token, tokenize } from "./lexer.js";
import { compileRegex } from "./values.js";

const ACCESSORS: Record<string, PropertySource> = { properties: "properties", user: "user", event: "event" };
const COMPARISONS = new Set(["==", "=", "!=", ">", ">=", "<", "<="]);
const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false", "null", "undefined"]);

/**
 * Parses a Mixpanel segmentation expression into a tree.
 *
 * Precedence, tightest first (mixpanel-read-side.md 2.5, inferred from [HELP-SEG]'s
 * `not "Facebook" in properties["$referring_domain"]`): unary `-`; `* / %`; `+ -`;
 * comparisons and `in`; `not`; `and`; `or`. Keywords are case-insensitive ([DOC-HOT] writes `AND`);
 * `&&`, `||`, `!` and a single `=` (seen inside `any(...)` in [DOC-HOT]) are accepted as aliases.
 *
 * @example
 * ```ts
 * const tree = parse('properties["$os"] == "iOS" and not defined(user["plan"])');
 * ```
 * @throws {ExprError} with the position and what was expected.
 */
export function parse(source: string): Expr {
  return new Parser(source).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private readonly scope: string[] = [];

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Expr {
    if (this.peek().kind === "eof") throw this.fail(["an expression"]);
    const e = this.parseOr();
    if (this.peek().kind !== "eof") throw this.fail(["an operator or end of input"]);
    return e;
  }

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.i++;
    return t;
  }

  private fail(expected: readonly string[], token: Token = this.peek()): ExprError {
    return syntaxError(this.source, token.pos, expected, describe(token));
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }

  private isPunct(...ops: string[]): boolean {
    const t = this.peek();
    return t.kind === "punct" && ops.includes(t.text);
  }

  private expectPunct(op: string): Token {
    if (!this.isPunct(op)) throw this.fail([`'${op}'`]);
    return this.next();
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKeyword("or") || this.isPunct("||")) {
      const t = this.next();
      left = this.logical("or", left, this.parseAnd(), t.pos);
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKeyword("and") || this.isPunct("&&")) {
      const t = this.next();
      left = this.logical("and", left, this.parseNot(), t.pos);
    }
    return left;
  }

  /** `and`/`or` on a value that can never be boolean is an error, not undefined ([DOC-EXPR] 2.4). */
  private logical(op: "and" | "or", left: Expr, right: Expr, pos: number): Expr {
    for (const side of [left, right]) {
      if (neverBoolean(side)) {
        throw new ExprError(
          `invalid expression at position ${side.pos}: '${op}' needs boolean operands`,
          side.pos,
          ["a boolean expression"],
          this.source,
        );
      }
    }
    return { type: "binary", op, left, right, pos };
  }

  private parseNot(): Expr {
    if (this.isKeyword("not") || this.isPunct("!")) {
      const t = this.next();
      return { type: "unary", op: "not", arg: this.parseNot(), pos: t.pos };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    let left = this.parseAdditive();
    for (;;) {
      const t = this.peek();
      let op: BinaryOp;
      if (t.kind === "punct" && COMPARISONS.has(t.text)) op = t.text === "=" ? "==" : (t.text as BinaryOp);
      else if (this.isKeyword("in")) op = "in";
      else return left;
      this.next();
      left = { type: "binary", op, left, right: this.parseAdditive(), pos: t.pos };
    }
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    while (this.isPunct("+", "-")) {
      const t = this.next();
      left = { type: "binary", op: t.text as BinaryOp, left, right: this.parseMultiplicative(), pos: t.pos };
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    while (this.isPunct("*", "/", "%")) {
      const t = this.next();
      left = { type: "binary", op: t.text as BinaryOp, left, right: this.parseUnary(), pos: t.pos };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isPunct("-")) {
      const t = this.next();
      const arg = this.parseUnary();
      // Fold `-5` into a literal so list literals and constants stay literals.
      if (arg.type === "literal" && typeof arg.value === "number") {
        return { type: "literal", value: -arg.value, pos: t.pos };
      }
      return { type: "unary", op: "-", arg, pos: t.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    if (t.kind === "string") {
      this.next();
      return { type: "literal", value: t.text, pos: t.pos };
    }
    if (t.kind === "number") {
      this.next();
      return { type: "literal", value: t.value ?? Number(t.text), pos: t.pos };
    }
    if (this.isPunct("(")) {
      this.next();
      const e = this.parseOr();
      this.expectPunct(")");
      return e;
    }
    if (this.isPunct("[")) return this.parseList();
    if (t.kind === "ident") return this.parseName();
    throw this.fail(["a value, a property, a function call or '('"]);
  }

  private parseList(): Expr {
    const open = this.next();
    const items: ScalarLiteral[] = [];
    if (!this.isPunct("]")) {
      for (;;) {
        const at = this.peek();
        const item = this.parseUnary();
        if (item.type !== "literal" || item.value === undefined || Array.isArray(item.value)) {
          throw this.fail(["a string, number, boolean or null list element"], at);
        }
        items.push(item.value as ScalarLiteral);
        if (!this.isPunct(",")) break;
        this.next();
      }
    }
    this.expectPunct("]");
    return { type: "literal", value: items, pos: open.pos };
  }

  private parseName(): Expr {
    const t = this.next();
    const word = t.text.toLowerCase();
    const constant = constantFor(word);
    if (constant.found) return { type: "literal", value: constant.value, pos: t.pos };
    const accessor = ACCESSORS[word];
    if (accessor !== undefined && this.isPunct("[")) {
      this.next();
      const name = this.peek();
      if (name.kind !== "string") throw this.fail(["a quoted property name"]);
      this.next();
      this.expectPunct("]");
      return { type: "property", source: accessor, name: name.text, pos: t.pos };
    }
    if (this.isPunct("(")) return this.parseCall(t);
    if (this.scope.includes(t.text)) return { type: "variable", name: t.text, pos: t.pos };
    throw syntaxError(
      this.source,
      t.pos,
      ['properties["..."]', 'user["..."]', 'event["..."]', "a function call", "a literal"],
      `'${t.text}'`,
    );
  }

  private parseCall(nameToken: Token): Expr {
    const name = lookupFunction(nameToken.text);
    if (name === undefined) {
      throw new ExprError(
        `invalid expression at position ${nameToken.pos}: unknown function '${nameToken.text}'` +
          ` (known: ${Object.keys(FUNCTIONS).join(", ")})`,
        nameToken.pos,
        ["a known function name"],
        this.source,
      );
    }
    this.expectPunct("(");
    if (name === "any") return this.parseAny(nameToken);
    const args: Expr[] = [];
    if (!this.isPunct(")")) {
      for (;;) {
        args.push(this.parseOr());
        if (!this.isPunct(",")) break;
        this.next();
      }
    }
    const close = this.expectPunct(")");
    const spec = FUNCTIONS[name];
    if (args.length < spec.min || args.length > spec.max) {
      const want = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
      throw new ExprError(
        `invalid expression at position ${nameToken.pos}: ${name}() takes ${want} argument(s), got ${args.length}`,
        close.pos,
        [`${want} argument(s)`],
        this.source,
      );
    }
    if (name === "regex_match") {
      const pattern = args[1] as Expr;
      if (pattern.type !== "literal" || typeof pattern.value !== "string") {
        throw new ExprError(
          `invalid expression at position ${pattern.pos}: regex_match() needs a quoted pattern`,
          pattern.pos,
          ["a quoted regular expression"],
          this.source,
        );
      }
      const problem = compileRegex(pattern.value).error;
      if (problem !== undefined) {
        throw new ExprError(
          `invalid expression at position ${pattern.pos}: bad regular expression: ${problem}`,
          pattern.pos,
          ["a regular expression"],
          this.source,
        );
      }
    }
    return { type: "call", name, args, pos: nameToken.pos };
  }

  private parseAny(nameToken: Token): Expr {
    const v = this.peek();
    if (v.kind !== "ident" || KEYWORDS.has(v.text.toLowerCase()) || ACCESSORS[v.text.toLowerCase()]) {
      throw this.fail(["a variable name"]);
    }
    this.next();
    this.expectPunct(",");
    const list = this.parseOr();
    this.expectPunct(",");
    this.scope.push(v.text);
    const predicate = this.parseOr();
    this.scope.pop();
    this.expectPunct(")");
    return { type: "any", variable: v.text, list, predicate, pos: nameToken.pos };
  }
}

function constantFor(word: string): { found: boolean; value: LiteralValue } {
  switch (word) {
    case "true":
      return { found: true, value: true };
    case "false":
      return { found: true, value: false };
    case "null":
      return { found: true, value: null };
    case "undefined":
      return { found: true, value: undefined };
    default:
      return { found: false, value: undefined };
  }
}

const NON_BOOLEAN_CALLS = new Set([
  "number",
  "string",
  "datetime",
  "floor",
  "round",
  "ceil",
  "lower",
  "upper",
  "len",
]);

/** True when an expression can only produce a non-boolean, non-undefined value (checked statically). */
function neverBoolean(e: Expr): boolean {
  switch (e.type) {
    case "literal":
      return e.value !== undefined && typeof e.value !== "boolean";
    case "unary":
      return e.op === "-";
    case "binary":
      return ["+", "-", "*", "/", "%"].includes(e.op);
    case "call":
      return NON_BOOLEAN_CALLS.has(e.name);
    default:
      return false;
  }
}
