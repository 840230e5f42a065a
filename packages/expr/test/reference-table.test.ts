import { sql } from "@mpkit/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExprCompiler, type ExprOptions, evaluate, MpDate, parse } from "../src/index.js";
import { context, openDb, type Row, scopeOf } from "./harness.js";

/** Expected results, written by hand from mixpanel-read-side.md section 2 (never computed by the code). */
type Expected = boolean | number | string | null | undefined | { date: string };

const EVENT = {
  $city: "Chicago",
  $referring_domain: "www.facebook.com",
  $email: "ann@example.com",
  $browser: "Chrome",
  Platform: "iPhone",
  mp_country_code: "GB",
  account_id: 3,
  price: "12.5",
  qty: 10,
  duration: 125,
  plan: "pro",
  tier: "gold",
  "signed up": "true",
  KPI1: 1.5,
  flag: true,
  off: false,
  nothing: null,
  tags: ["red", "blue", 7, null],
  nested: { a: 1 },
  "My Prop": "",
  "ünï cödé": "ok",
  'with "quote': "q",
  "it's": 1,
  "back\\slash": "bs",
  "sp ace": "s",
  $x: "dollar",
  empty_list: [],
  zero: 0,
  mixed: "MiXeD",
  isoday: "2024-03-10",
  count: 42,
  ratio: 0.5,
};
const TIME = Date.UTC(2024, 0, 15, 12, 0, 0); // 2024-01-15T12:00:00Z
const USER = { $email: "x@example.com", signup_date: "2016-04-01", plan: "free" };

const CASES: [string, Expected][] = [
  // Property access and equality [DOC-EXPR] 2.4
  ['properties["$city"] == "Chicago"', true],
  ['properties["$city"] != "Chicago"', false],
  ['properties["$city"] == "chicago"', false],
  ['properties["missing"]', undefined],
  ['properties["missing"] == "x"', false],
  ['properties["missing"] != "x"', true],
  ['properties["account_id"] == "3"', false],
  ['properties["account_id"] == 3', true],
  ['properties["account_id"] == 3.0', true],
  ['properties["nothing"] == null', true],
  ['properties["flag"] == true', true],
  ['properties["ünï cödé"]', "ok"],
  ["properties['with \"quote']", "q"],
  ['properties["it\'s"]', 1],
  ['properties["back\\\\slash"]', "bs"],
  ['properties["sp ace"]', "s"],
  ['properties["$x"]', "dollar"],
  ['user["$email"] == "x@example.com"', true],
  ['user["missing"]', undefined],
  // `in` [DOC-EXPR], [MEDIUM]
  ['"facebook" in properties["$referring_domain"]', true],
  ['"Facebook" in properties["$referring_domain"]', false],
  ['not "Facebook" in properties["$referring_domain"]', true],
  ['properties["account_id"] in [1, 2, 3, 4]', true],
  ['properties["account_id"] in [1, 2]', false],
  ['"3" in [1, 2, 3]', false],
  ['"red" in properties["tags"]', true],
  ['7 in properties["tags"]', true],
  ['null in properties["tags"]', true],
  ['"green" in properties["tags"]', false],
  ['3 in "123"', undefined],
  ['"a" in properties["missing"]', undefined],
  ['not "a" in properties["missing"]', true],
  ['properties["$browser"] == "Chrome" and not "" in properties["$email"]', false],
  // Comparison and typing
  ['properties["KPI1"] >= 1 and properties["KPI1"] <= 2', true],
  ['properties["price"] > 10', undefined],
  ['number(properties["price"]) > 10', true],
  ['number(properties["price"]) * number(properties["qty"]) > 100', true],
  ['"b" > "a"', true],
  ['"B" > "a"', false],
  ['1 < "2"', undefined],
  ['properties["missing"] > 1', undefined],
  // Arithmetic
  ["7 % 3", 1],
  ["-7 % 3", -1],
  ["7 % -3", 1],
  ["1 / 0", undefined],
  ["5 % 0", undefined],
  ["1 + 2 * 3", 7],
  ["(1 + 2) * 3", 9],
  ["-2 * -3", 6],
  ['"a" + "b"', "ab"],
  ['"a" + 1', undefined],
  ['properties["missing"] + 1', undefined],
  ["10 - 2 - 3", 5],
  ["2 * 3 % 4", 2],
  // Logic
  ["not undefined", true],
  ["not true", false],
  ['not "x"', undefined],
  ["undefined or true", true],
  ["undefined and true", false],
  ["true or false and false", true],
  ["TRUE AND NOT FALSE", true],
  ["true && !false", true],
  ["false || true", true],
  // Functions
  ['defined(properties["My Prop"])', true],
  ['not defined(properties["city"])', true],
  ['defined(properties["nothing"])', true],
  ['boolean(properties["signed up"]) == true', true],
  ['boolean("false")', false],
  ['boolean("")', false],
  ['boolean(properties["zero"])', false],
  ['boolean(properties["nothing"])', false],
  ['boolean(properties["missing"])', false],
  ['boolean("no")', true],
  ['boolean(properties["empty_list"])', true],
  ['number("12.5")', 12.5],
  ['number("abc")', undefined],
  ["number(true)", 1],
  ['number(" 5")', undefined],
  ["number(null)", undefined],
  ['floor(number(properties["duration"]) / 60)', 2],
  ["round(2.5)", 3],
  ["round(-2.5)", -3],
  ["ceil(1.2)", 2],
  ['floor("3")', undefined],
  ['string(properties["plan"]) + "-" + string(properties["tier"])', "pro-gold"],
  ["string(42)", "42"],
  ["string(1.5)", "1.5"],
  ["string(true)", "true"],
  ["string(null)", null],
  ['string(properties["missing"], "undefined") == "undefined"', true],
  ['string(properties["nothing"], "none")', "none"],
  ['has_prefix(string(user["signup_date"]), "2016")', true],
  ['has_suffix(properties["$email"], "example.com")', true],
  ['has_prefix(properties["account_id"], "3")', undefined],
  ['lower(properties["mixed"])', "mixed"],
  ['upper(properties["mixed"])', "MIXED"],
  ['len(properties["mixed"])', 5],
  ['len(properties["tags"])', 4],
  ['len("日本")', 2],
  ['regex_match(properties["$email"], "^ANN@")', true],
  ['regex_match(properties["$email"], "(?-i)^ANN@")', false],
  ['any(X, properties["tags"], X = "blue")', true],
  ['any(X, properties["tags"], X == "green")', false],
  ['any(X, properties["missing"], X == "blue")', undefined],
  ['if(properties["flag"], "yes", "no")', "yes"],
  ['if(properties["missing"], "yes", "no")', "no"],
  ['if(properties["off"], 1, "one")', "one"],
  // Dates: event time and datetime() ([DOC-EXPR], [AB-SRC], [BLOG-ENG])
  ['event["$time"] >= datetime("2024-01-01T00:00:00")', true],
  ['properties["$time"] >= datetime(1705320000)', true],
  ['properties["$time"] > datetime(1705320000)', false],
  ['properties["time"] < datetime("2024-01-16")', true],
  ['properties["$time"] == datetime("2024-01-15 12:00:00")', true],
  ['datetime("2014-09-9") < datetime("2014-09-10")', true],
  ['datetime("2024-02-30")', undefined],
  ['datetime(properties["isoday"]) == datetime("2024-03-10")', true],
  ['datetime("2024-01-15T12:00:00Z") == properties["$time"]', true],
  ['properties["$time"] > 5', undefined],
  ["string(datetime(0))", "1970-01-01T00:00:00"],
  ["datetime(86400)", { date: "1970-01-02T00:00:00Z" }],
  ["number(datetime(60))", 60],
  ['properties["distinct_id"] == "u-1"', true],
];

/** The Kolkata project reads date text at +05:30 (mixpanel-headless: literals are in project time). */
const ZONED: [string, Expected][] = [
  ['datetime("2024-01-15T17:30:00")', { date: "2024-01-15T12:00:00Z" }],
  ['string(properties["$time"])', "2024-01-15T17:30:00"],
  ['datetime("2024-01-15T12:00:00Z")', { date: "2024-01-15T12:00:00Z" }],
];

/** Q1 switch: case-insensitive string comparison. */
const INSENSITIVE: [string, Expected][] = [
  ['properties["$city"] == "chicago"', true],
  ['"Facebook" in properties["$referring_domain"]', true],
  ['has_prefix(properties["mixed"], "mix")', true],
  ['properties["mixed"] in ["MIXED"]', true],
];

const ROW: Row = { id: 0, event: "E", timeMs: TIME, distinctId: "u-1", properties: EVENT, user: USER };

function normalize(v: unknown): Expected {
  if (v instanceof MpDate) return { date: new Date(v.ms).toISOString().replace(".000", "") };
  return v as Expected;
}

describe("hand-written reference table", () => {
  let db: Awaited<ReturnType<typeof openDb>>;
  beforeAll(async () => {
    db = await openDb([ROW]);
  });
  afterAll(() => db.close());

  const suites: [string, [string, Expected][], ExprOptions][] = [
    ["default", CASES, { timezone: "UTC" }],
    ["Asia/Kolkata", ZONED, { timezone: "Asia/Kolkata" }],
    ["caseInsensitive", INSENSITIVE, { timezone: "UTC", caseInsensitive: true }],
  ];
  for (const [name, cases, options] of suites) {
    it(`${name}: evaluator and SQL give the hand-written values (${cases.length} cases)`, async () => {
      const compiler = new ExprCompiler(context(options));
      const cols = cases.flatMap(([text], i) => [
        sql`${compiler.where(text)} AS ${sql.ident(`w${i}`)}`,
        sql`${compiler.segment(text)} AS ${sql.ident(`s${i}`)}`,
      ]);
      const inputs = compiler.columns.map((c) => sql`${c.expr} AS ${sql.ident(c.alias)}`);
      const [row] = await db.query(
        sql`SELECT ${sql.join(cols)} FROM (SELECT *, ${sql.join(inputs)} FROM ev)`,
      );
      cases.forEach(([text, expected], i) => {
        expect(normalize(evaluate(parse(text), scopeOf(ROW), options)), text).toEqual(expected);
        expect(row?.[2 * i], `SQL where: ${text}`).toBe(expected === true);
        const segment =
          expected === undefined
            ? "undefined"
            : expected === null
              ? "null"
              : typeof expected === "object"
                ? undefined
                : String(expected);
        if (segment !== undefined) expect(row?.[2 * i + 1], `SQL segment: ${text}`).toBe(segment);
      });
    });
  }
  it("has at least 60 cases", () => {
    expect(CASES.length + ZONED.length + INSENSITIVE.length).toBeGreaterThanOrEqual(60);
  });
});
