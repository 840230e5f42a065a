import { describe, expect, it } from "vitest";
import { ExprError, parse } from "../src/index.js";

function failure(text: string): ExprError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
  throw new Error(`expected ${text} to fail`);
}

describe("parse errors name the position and what was expected", () => {
  it.each([
    ['properties["a"] ==', 18, "a value, a property, a function call or '('"],
    ['properties["a" == 1', 15, "']'"],
    ["(1 + 2", 6, "')'"],
    ["properties[a]", 11, "a quoted property name"],
    ['"unterminated', 13, 'closing "'],
    ["1 2", 2, "an operator or end of input"],
    ["", 0, "an expression"],
    ["1 # 2", 2, "an operator, a value or a property"],
  ])("%s → position %i", (text, position, expected) => {
    const e = failure(text);
    expect(e.position).toBe(position);
    expect(e.expected).toContain(expected);
    expect(e.message).toContain(`position ${position}`);
  });

  it("unknown functions are a clear error", () => {
    const e = failure('frobnicate(properties["a"])');
    expect(e.message).toContain("unknown function 'frobnicate'");
    expect(e.position).toBe(0);
  });

  it("wrong arity is an error", () => {
    expect(failure("defined()").message).toContain("defined() takes 1 argument(s), got 0");
  });

  it("and/or with an operand that can never be boolean is an error ([DOC-EXPR] 2.4)", () => {
    expect(failure('1 and properties["a"]').message).toContain("'and' needs boolean operands");
  });

  it("builds the Mixpanel 400 body", () => {
    expect(failure("(").toResponseBody("/api/2.0/segmentation?where=(")).toEqual({
      request: "/api/2.0/segmentation?where=(",
      error:
        "invalid expression at position 1: expected a value, a property, a function call or '(' but found end of input",
    });
  });
});
