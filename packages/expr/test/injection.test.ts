import { render, sql } from "@mpkit/sql";
import { describe, expect, it } from "vitest";
import { compileWhere, duckdbExprDialect, evaluate, parse } from "../src/index.js";
import { context, openDb, type Row } from "./harness.js";

const NASTY = [
  "'",
  '"',
  "\\",
  "--",
  ";",
  "\u0000",
  "'; DROP TABLE ev; --",
  '") OR 1=1 --',
  "\\'",
  "$.a",
  "~1/",
  "*/",
];
const NAMES = NASTY.map((n, i) => `k${i}${n}x`);

/**
 * Skeleton of a statement: its text with every string literal collapsed, so only structure remains. The SQL
 * dialect spells NUL inside a literal as `('a' || chr(0) || 'b')`, which is one constant too.
 */
const skeleton = (text: string): string =>
  text.replace(/'(?:[^']|'')*'/g, "'?'").replace(/\('\?'(?: \|\| chr\(0\) \|\| '\?')+\)/g, "'?'");

describe("property names and string literals cannot change the SQL's structure", () => {
  it("renders every hostile name and literal as data", async () => {
    const rows: Row[] = [
      {
        id: 0,
        event: "e",
        timeMs: 0,
        distinctId: "u",
        properties: Object.fromEntries(NAMES.map((n) => [n, n])),
      },
      { id: 1, event: "e", timeMs: 0, distinctId: "u", properties: {} },
    ];
    const db = await openDb(rows);
    try {
      const plain = skeleton(
        render(compileWhere('properties["plain"] == "plain"', context()), duckdbExprDialect.sql).text,
      );
      for (const name of NAMES) {
        const text = `properties[${JSON.stringify(name)}] == ${JSON.stringify(name)}`;
        const tree = parse(text);
        const where = compileWhere(tree, context());
        const rendered = render(where, duckdbExprDialect.sql);
        // Same statement shape as a harmless expression: the hostile text only ever sits in literals/params.
        expect(skeleton(rendered.text), text).toBe(plain);
        expect(rendered.params).toContain(name);
        const result = await db.query(sql`SELECT id FROM ev WHERE ${where} ORDER BY id`);
        expect(
          result.map((r) => r[0]),
          text,
        ).toEqual([0]);
        expect(evaluate(tree, { properties: rows[0]?.properties ?? {} })).toBe(true);
      }
      const [count] = await db.query(sql`SELECT count(*) FROM ev`);
      expect(Number(count?.[0])).toBe(2);
    } finally {
      db.close();
    }
  });
});
