/**
 * Every function the language knows, with its arity. The parser checks calls against this table, so an
 * unknown function or a wrong argument count is a parse error with a position, never a runtime surprise.
 * Sources: [DOC-EXPR] (casts, math, `defined`, `datetime`), [DOC-JQL] (`has_prefix`), [DOC-HOT] (`any`,
 * `string` with two arguments), [DOC-CP] (`if`, `has_suffix`, `lower`, `upper`, `len`, `regex_match`).
 */
export interface FunctionSpec {
  readonly min: number;
  readonly max: number;
  readonly summary: string;
}

export const FUNCTIONS = {
  defined: { min: 1, max: 1, summary: "true when the value is not undefined" },
  boolean: { min: 1, max: 1, summary: 'false for false, 0, "", "false", null and undefined; true otherwise' },
  number: {
    min: 1,
    max: 1,
    summary: "number from a number, decimal text, boolean (1/0) or date (epoch seconds)",
  },
  string: { min: 1, max: 2, summary: "text of a scalar; the second argument replaces undefined and null" },
  datetime: { min: 1, max: 1, summary: "date from ISO text (project time zone) or epoch seconds" },
  floor: { min: 1, max: 1, summary: "round down" },
  round: { min: 1, max: 1, summary: "round half away from zero" },
  ceil: { min: 1, max: 1, summary: "round up" },
  has_prefix: { min: 2, max: 2, summary: "string starts with" },
  has_suffix: { min: 2, max: 2, summary: "string ends with" },
  lower: { min: 1, max: 1, summary: "lower-case a string" },
  upper: { min: 1, max: 1, summary: "upper-case a string" },
  len: { min: 1, max: 1, summary: "characters in a string or elements in a list" },
  regex_match: {
    min: 2,
    max: 2,
    summary: "string matches a regular expression (case-insensitive unless (?-i))",
  },
  any: { min: 3, max: 3, summary: "any(X, list, predicate): true when predicate holds for some element X" },
  if: { min: 3, max: 3, summary: "if(cond, a, b): a when cond is true, else b" },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

/** Looks a function up case-insensitively (keywords and names are case-insensitive, [DOC-HOT]). */
export function lookupFunction(name: string): FunctionName | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(FUNCTIONS, key) ? (key as FunctionName) : undefined;
}
