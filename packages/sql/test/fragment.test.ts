import { describe, expect, it } from "vitest";
import { duckdbDialect, render, renderInline, sql } from "../src/index.js";

describe("sql fragments", () => {
  it("binds interpolated values as parameters and inlines nested fragments", () => {
    const where = sql`event = ${"Signed Up"} AND n > ${3}`;
    const q = sql`SELECT * FROM ${sql.ident('ev"ents')} WHERE ${where} LIMIT ${10}`;
    expect(render(q, duckdbDialect)).toEqual({
      text: 'SELECT * FROM "ev""ents" WHERE event = $1 AND n > $2 LIMIT $3',
      params: ["Signed Up", 3, 10],
    });
  });

  it("escapes literals so quotes, backslashes and NUL cannot break out", () => {
    const hostile = "a'); DROP TABLE events; --\\\0x";
    const text = renderInline(sql`SELECT ${hostile}`, duckdbDialect);
    expect(text).toBe("SELECT ('a''); DROP TABLE events; --\\' || chr(0) || 'x')");
  });

  it("joins fragments", () => {
    const cols = sql.join([sql.ident("a"), sql.ident("b")]);
    expect(render(sql`SELECT ${cols}`, duckdbDialect).text).toBe('SELECT "a", "b"');
  });

  it("refuses undefined", () => {
    expect(() => sql`SELECT ${undefined}`).toThrow(TypeError);
  });
});
