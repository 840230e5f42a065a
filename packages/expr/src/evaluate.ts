import type { Expr } from "./ast.js";
import { ExprError } from "./errors.js";
import {
  compare,
  compileRegex,
  contains,
  type ExprOptions,
  equals,
  finite,
  fromJson,
  hasPrefix,
  lower,
  MpDate,
  roundHalfAway,
  toBoolean,
  toDate,
  toNumber,
  toText,
  upper,
  type Value,
} from "./values.js";

/**
 * What an expression can see. Events: `properties` are the event's properties and `timeMs` its time;
 * profiles: `properties` are the profile's properties and there is no `timeMs`.
 */
export interface Scope {
  /** Event properties (event scope) or profile properties (profile scope), as parsed JSON. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Profile properties for `user["x"]`; when absent, `user["x"]` is undefined. */
  readonly user?: Readonly<Record<string, unknown>>;
  /** Event time (epoch ms). When present, `properties["time"]`, `properties["$time"]` and `event["$time"]` read it. */
  readonly timeMs?: number;
  /** Resolved distinct id; when present, `properties["distinct_id"]` reads it. */
  readonly distinctId?: string;
}

/** The property names that read the event's columns instead of its JSON (see docs/expression-language.md). */
export const TIME_NAMES: ReadonlySet<string> = new Set(["time", "$time"]);
export const DISTINCT_ID_NAME = "distinct_id";

function readProperty(scope: Scope, source: "properties" | "user" | "event", name: string): Value {
  if (source === "user") {
    return scope.user !== undefined && Object.hasOwn(scope.user, name)
      ? fromJson(scope.user[name])
      : undefined;
  }
  if (scope.timeMs !== undefined && TIME_NAMES.has(name)) return new MpDate(scope.timeMs);
  if (scope.distinctId !== undefined && name === DISTINCT_ID_NAME) return scope.distinctId;
  const props = scope.properties;
  return props !== undefined && Object.hasOwn(props, name) ? fromJson(props[name]) : undefined;
}

const num = (v: Value): number | undefined => (typeof v === "number" ? v : undefined);
const bool = (v: Value): boolean => v === true;

/**
 * Evaluates an expression to a Mixpanel value.
 *
 * @example
 * ```ts
 * evaluate(parse('number(properties["n"]) * 2'), { properties: { n: "21" } }) // 42
 * ```
 */
export function evaluate(expr: Expr, scope: Scope, options: ExprOptions = {}): Value {
  return new Evaluator(scope, options).eval(expr, new Map());
}

/**
 * True only when the whole expression is `true` (a filter drops `false` and `undefined`, section 2.4).
 *
 * @example
 * ```ts
 * matches(parse('"Face" in properties["ref"]'), { properties: { ref: "Facebook" } }) // true
 * ```
 */
export function matches(expr: Expr, scope: Scope, options: ExprOptions = {}): boolean {
  return evaluate(expr, scope, options) === true;
}

class Evaluator {
  constructor(
    private readonly scope: Scope,
    private readonly o: ExprOptions,
  ) {}

  eval(e: Expr, vars: Map<string, Value>): Value {
    switch (e.type) {
      case "literal":
        return e.value;
      case "property":
        return readProperty(this.scope, e.source, e.name);
      case "variable":
        return vars.get(e.name);
      case "unary": {
        const v = this.eval(e.arg, vars);
        if (e.op === "-") return typeof v === "number" ? -v : undefined;
        // `not undefined` is true; `not` of a non-boolean is undefined ([DOC-EXPR]).
        return v === undefined ? true : typeof v === "boolean" ? !v : undefined;
      }
      case "binary":
        return this.binary(e.op, e.left, e.right, vars);
      case "call":
        return this.call(e.name, e.args, vars, e.pos);
      case "any": {
        const list = this.eval(e.list, vars);
        if (!Array.isArray(list)) return undefined;
        return list.some((x: Value) => {
          const inner = new Map(vars);
          inner.set(e.variable, x);
          return this.eval(e.predicate, inner) === true;
        });
      }
    }
  }

  private binary(op: string, l: Expr, r: Expr, vars: Map<string, Value>): Value {
    const a = this.eval(l, vars);
    const b = this.eval(r, vars);
    const o = this.o;
    switch (op) {
      case "and":
        return bool(a) && bool(b);
      case "or":
        return bool(a) || bool(b);
      case "==":
        return equals(a, b, o);
      case "!=":
        return !equals(a, b, o);
      case ">": {
        const c = compare(a, b, o);
        return c === undefined ? undefined : c > 0;
      }
      case ">=": {
        const c = compare(a, b, o);
        return c === undefined ? undefined : c >= 0;
      }
      case "<": {
        const c = compare(a, b, o);
        return c === undefined ? undefined : c < 0;
      }
      case "<=": {
        const c = compare(a, b, o);
        return c === undefined ? undefined : c <= 0;
      }
      case "in":
        return contains(a, b, o);
      case "+":
        if (typeof a === "string" && typeof b === "string") return a + b;
        return arith(a, b, (x, y) => x + y);
      case "-":
        return arith(a, b, (x, y) => x - y);
      case "*":
        return arith(a, b, (x, y) => x * y);
      case "/":
        return arith(a, b, (x, y) => (y === 0 ? Number.NaN : x / y));
      case "%":
        return arith(a, b, (x, y) => (y === 0 ? Number.NaN : x % y));
      default:
        throw new ExprError(`unknown operator ${op}`, l.pos);
    }
  }

  private call(name: string, args: readonly Expr[], vars: Map<string, Value>, pos: number): Value {
    const o = this.o;
    if (name === "if") {
      return this.eval(args[0] as Expr, vars) === true
        ? this.eval(args[1] as Expr, vars)
        : this.eval(args[2] as Expr, vars);
    }
    const v = args.map((a) => this.eval(a, vars));
    const x = v[0];
    switch (name) {
      case "defined":
        return x !== undefined;
      case "boolean":
        return toBoolean(x);
      case "number":
        return toNumber(x);
      case "string": {
        const t = toText(x, o);
        return (t === undefined || t === null) && v.length > 1 ? v[1] : t;
      }
      case "datetime":
        return toDate(x, o);
      case "floor":
        return num(x) === undefined ? undefined : Math.floor(x as number);
      case "ceil":
        return num(x) === undefined ? undefined : Math.ceil(x as number);
      case "round":
        return num(x) === undefined ? undefined : roundHalfAway(x as number);
      case "has_prefix":
        return hasPrefix(x, v[1], o, false);
      case "has_suffix":
        return hasPrefix(x, v[1], o, true);
      case "lower":
        return typeof x === "string" ? lower(x) : undefined;
      case "upper":
        return typeof x === "string" ? upper(x) : undefined;
      case "len":
        return typeof x === "string" ? [...x].length : Array.isArray(x) ? x.length : undefined;
      case "regex_match": {
        const re = compileRegex(v[1] as string).regex;
        return typeof x === "string" && re !== undefined ? re.test(x) : undefined;
      }
      default:
        throw new ExprError(`unknown function '${name}'`, pos, ["a known function name"]);
    }
  }
}

/** Arithmetic needs two numbers; anything else, division by zero and overflow give undefined ([DOC-EXPR]). */
function arith(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  if (typeof a !== "number" || typeof b !== "number") return undefined;
  return finite(f(a, b));
}
