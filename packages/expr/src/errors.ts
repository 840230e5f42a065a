/**
 * The one error type of the expression language. Mixpanel answers a bad `where`/`on` with HTTP 400 and a
 * body `{"request": ..., "error": ...}` (mixpanel-read-side.md section 7); {@link ExprError.toResponseBody}
 * builds that body so the server does not have to know the parser's internals.
 */
export class ExprError extends Error {
  /** 0-based character offset in the source text where the problem was found. */
  readonly position: number;
  /** What the parser would have accepted at {@link position} (empty for type/runtime errors). */
  readonly expected: readonly string[];
  /** The expression text, when known. */
  readonly source: string | undefined;

  /**
   * @example
   * ```ts
   * throw new ExprError("unknown function 'foo'", 0, ["a function name"], "foo(1)");
   * ```
   */
  constructor(message: string, position: number, expected: readonly string[] = [], source?: string) {
    super(message);
    this.name = "ExprError";
    this.position = position;
    this.expected = expected;
    this.source = source;
  }

  /**
   * The Mixpanel-shaped error body for a 400 response.
   *
   * @example
   * ```ts
   * err.toResponseBody("/api/2.0/segmentation?where=...") // { request: "/api/2.0/...", error: "..." }
   * ```
   */
  toResponseBody(request: string): { request: string; error: string } {
    return { request, error: this.message };
  }
}

/** Builds a syntax error whose message names the position, what was expected and what was found. */
export function syntaxError(
  source: string,
  position: number,
  expected: readonly string[],
  found: string,
): ExprError {
  const want = expected.length === 1 ? expected[0] : `one of ${expected.join(", ")}`;
  return new ExprError(
    `invalid expression at position ${position}: expected ${want} but found ${found}`,
    position,
    expected,
    source,
  );
}
