import { sql } from "@mpkit/sql";
import { describe, expect, it } from "vitest";
import {
  compileSegment,
  compileWhere,
  ExprCompiler,
  type ExprOptions,
  evaluate,
  MpDate,
  parse,
  segmentName,
} from "../src/index.js";
import { context, openDb, type Row, scopeOf } from "./harness.js";

/** mulberry32: a tiny seeded PRNG so every failure reproduces from the printed seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const KEYS = [
  "a",
  "b",
  "n",
  "f",
  "$os",
  "$browser",
  "ünï cödé",
  'with "quote',
  "it's",
  "back\\slash",
  "sp ace",
  "日本",
  "l",
  "o",
  "dt",
  "s",
];
const STRINGS = [
  "",
  "a",
  "A",
  "abc",
  "ABC",
  "Facebook",
  "facebook.com",
  "iOS",
  "ios",
  "5",
  "12.5",
  "-3",
  "1e3",
  " 7",
  "true",
  "false",
  "null",
  "Éc",
  "éc",
  "日本語",
  "emoji 😀",
  'x"y',
  "it's",
  "b\\s",
  "2024-01-02",
  "2024-1-5",
  "2024-01-02T03:04:05",
  "2024-02-30",
  "a%b_c",
  "--;",
];
const NUMBERS = [
  0, 1, -1, 2, 5, 7, 12.5, -3.25, 100, 0.1, 1e-7, 3e-5, 1e21, 123456789, 1700000000, -0.5, 2.5,
];

function randomValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 0 ? 5 : 8)) {
    case 0:
    case 1:
      return r.pick(STRINGS);
    case 2:
      return r.chance(0.5) ? r.int(20) - 5 : r.pick(NUMBERS);
    case 3:
      return r.chance(0.5);
    case 4:
      return null;
    case 5:
    case 6:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    default:
      return { k: randomValue(r, depth + 1), $x: r.pick(STRINGS) };
  }
}

function randomRows(r: Rng, count: number): Row[] {
  return Array.from({ length: count }, (_, id) => {
    const properties: Record<string, unknown> = {};
    for (const k of KEYS) if (r.chance(0.6)) properties[k] = randomValue(r);
    const user: Record<string, unknown> = {};
    for (const k of ["plan", "n", "$email"]) if (r.chance(0.6)) user[k] = randomValue(r);
    return {
      id,
      event: r.pick(["Sign Up", "Purchase"]),
      timeMs: Date.UTC(2024, 0, 1) + r.int(400) * 86_400_000 + r.int(86_400_000),
      distinctId: r.pick(["u1", "u2", "ü3"]),
      properties,
      ...(r.chance(0.8) ? { user } : {}),
    };
  });
}

const quote = (r: Rng, s: string): string => {
  if (r.chance(0.5)) return JSON.stringify(s);
  return `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
};

function literal(r: Rng): string {
  switch (r.int(6)) {
    case 0:
    case 1:
      return quote(r, r.pick(STRINGS));
    case 2:
      return String(r.chance(0.5) ? r.int(20) - 5 : r.pick(NUMBERS));
    case 3:
      return r.pick(["true", "false", "TRUE", "null", "undefined"]);
    case 4:
      return `[${Array.from({ length: r.int(4) }, () => (r.chance(0.5) ? quote(r, r.pick(STRINGS)) : String(r.pick(NUMBERS)))).join(", ")}]`;
    default:
      return `datetime(${r.chance(0.5) ? quote(r, r.pick(STRINGS.filter((s) => s.startsWith("20")))) : "1704100000"})`;
  }
}

function property(r: Rng, vars: readonly string[]): string {
  if (vars.length > 0 && r.chance(0.4)) return r.pick(vars);
  const roll = r.int(10);
  if (roll === 0) return `user[${quote(r, r.pick(["plan", "n", "$email", "missing"]))}]`;
  if (roll === 1)
    return r.pick([
      'event["$time"]',
      'properties["$time"]',
      'properties["time"]',
      'properties["distinct_id"]',
    ]);
  return `properties[${quote(r, r.pick(KEYS))}]`;
}

const BINARY = [
  "+",
  "-",
  "*",
  "/",
  "%",
  "==",
  "!=",
  ">",
  ">=",
  "<",
  "<=",
  "in",
  "=",
  "and",
  "or",
  "AND",
  "&&",
  "||",
];
const UNARY_FUNCS = [
  "defined",
  "boolean",
  "number",
  "string",
  "datetime",
  "floor",
  "round",
  "ceil",
  "lower",
  "upper",
  "len",
  "not",
  "-",
];

/** A random, always-parseable expression (and/or operands are kept boolean-capable). */
function expression(r: Rng, depth: number, vars: readonly string[] = []): string {
  if (depth <= 0 || r.chance(0.2)) return r.chance(0.6) ? property(r, vars) : literal(r);
  const roll = r.int(12);
  if (roll < 5) {
    const op = r.pick(BINARY);
    if (["and", "or", "AND", "&&", "||"].includes(op))
      return `(${boolish(r, depth - 1, vars)} ${op} ${boolish(r, depth - 1, vars)})`;
    return `(${expression(r, depth - 1, vars)} ${op} ${expression(r, depth - 1, vars)})`;
  }
  if (roll < 8) {
    const f = r.pick(UNARY_FUNCS);
    if (f === "not") return `(not ${expression(r, depth - 1, vars)})`;
    if (f === "-") return `(-${expression(r, depth - 1, vars)})`;
    return `${f}(${expression(r, depth - 1, vars)})`;
  }
  if (roll === 8) {
    const f = r.pick(["has_prefix", "has_suffix", "string"]);
    return `${f}(${expression(r, depth - 1, vars)}, ${r.chance(0.7) ? quote(r, r.pick(STRINGS)) : expression(r, depth - 1, vars)})`;
  }
  if (roll === 9)
    return `regex_match(${expression(r, depth - 1, vars)}, ${quote(r, r.pick(["^a", "b$", "[0-9]+", "(?-i)A", "o.*k", "\\\\d"]))})`;
  if (roll === 10)
    return `if(${boolish(r, depth - 1, vars)}, ${expression(r, depth - 1, vars)}, ${expression(r, depth - 1, vars)})`;
  const v = r.pick(["X", "el"]);
  return `any(${v}, ${property(r, vars)}, ${boolish(r, depth - 1, [...vars, v])})`;
}

function boolish(r: Rng, depth: number, vars: readonly string[]): string {
  const e = expression(r, depth, vars);
  // The parser rejects and/or operands that can never be boolean; wrap those in defined().
  try {
    parse(
      vars.length > 0
        ? `any(${vars.join(", any(")}, [], ${e} and true)${")".repeat(vars.length - 1)}`
        : `${e} and true`,
    );
    return e;
  } catch {
    return `defined(${e})`;
  }
}

const SEED = Number(process.env["EXPR_SEED"] ?? 20261122);
const EXPRESSIONS = Number(process.env["EXPR_COUNT"] ?? 10_000);
const BATCH = 250;
const FIRST_BATCH = 40;

describe("differential: evaluator vs DuckDB SQL", () => {
  const configs: { name: string; options: ExprOptions; share: number }[] = [
    { name: "UTC, case-sensitive", options: { timezone: "UTC" }, share: 0.7 },
    {
      name: "Asia/Kolkata, case-insensitive",
      options: { timezone: "Asia/Kolkata", caseInsensitive: true },
      share: 0.3,
    },
  ];
  for (const cfg of configs) {
    it(`agrees on random expressions (${cfg.name}, seed ${SEED})`, async () => {
      const r = prng(SEED + (cfg.options.caseInsensitive ? 1 : 0));
      const rows = randomRows(r, 120);
      const db = await openDb(rows);
      const ctx = context(cfg.options);
      const total = Math.round(EXPRESSIONS * cfg.share);
      let checked = 0;
      try {
        for (let start = 0; start < total; start += start === 0 ? FIRST_BATCH : BATCH) {
          const size = Math.min(start === 0 ? FIRST_BATCH : BATCH, total - start);
          const texts = Array.from({ length: size }, () => expression(r, 1 + r.int(4)));
          const trees = texts.map((t) => parse(t));
          // Most batches share one projection of the inputs (fast to plan); the first batch also runs the
          // self-contained form (one correlated subquery per expression) that compileWhere/compileSegment emit.
          const selfContained = start === 0;
          const compiler = new ExprCompiler(ctx);
          const cols = trees.flatMap((t, i) => [
            sql`${selfContained ? compileWhere(t, ctx) : compiler.where(t)} AS ${sql.ident(`w${i}`)}`,
            // Segment keys are checked for every third expression (their SQL is larger; keeps the run short).
            i % 3 === 0
              ? sql`${selfContained ? compileSegment(t, ctx) : compiler.segment(t)} AS ${sql.ident(`s${i}`)}`
              : sql`NULL AS ${sql.ident(`s${i}`)}`,
          ]);
          const inputs = compiler.columns.map((c) => sql`${c.expr} AS ${sql.ident(c.alias)}`);
          const from = inputs.length === 0 ? sql`ev` : sql`(SELECT *, ${sql.join(inputs)} FROM ev)`;
          const t0 = performance.now();
          const result = await db.query(sql`SELECT id, ${sql.join(cols)} FROM ${from} ORDER BY id`);
          if (process.env["EXPR_PROFILE"]) console.log(`query ${(performance.now() - t0).toFixed(0)} ms`);
          trees.forEach((tree, i) => {
            for (const [rowIndex, row] of rows.entries()) {
              const value = evaluate(tree, scopeOf(row), cfg.options);
              const got = result[rowIndex] as unknown[];
              const where = got[1 + 2 * i];
              const segment = got[2 + 2 * i];
              const scalarValue =
                value === undefined || value === null || typeof value !== "object" || value instanceof MpDate;
              // Lists and objects print as engine JSON text (documented); compare scalar segment names.
              const expectedSegment = scalarValue && i % 3 === 0 ? segmentName(value, cfg.options) : segment;
              if (where !== (value === true) || segment !== expectedSegment) {
                const context = `seed ${SEED} (${cfg.name}) expression: ${texts[i]}\nrow: ${JSON.stringify(row)}`;
                expect(where, `where mismatch, ${context}`).toBe(value === true);
                expect(segment, `segment mismatch, ${context}`).toBe(expectedSegment);
              }
            }
            checked++;
          });
        }
      } finally {
        db.close();
      }
      console.log(`differential (${cfg.name}): seed ${SEED}, ${checked} expressions x ${rows.length} events`);
      expect(checked).toBe(total);
    });
  }
});
