/**
 * Typed JQL failures. Each carries what the HTTP layer needs to answer the way Mixpanel does
 * (reference section 5.5): a status code and the `error` string of the body.
 */

/** Where in the user's script an error happened (1-based, like V8's and QuickJS's stack frames). */
export interface JqlSourcePosition {
  readonly line: number;
  readonly column: number;
  /** The text of that line of the script, used for the caret display Mixpanel prints. */
  readonly sourceLine: string;
}

/**
 * Base class of every error `runJql` rejects with (except errors thrown by the data source itself,
 * which are passed through untouched: they are the server's fault, not the script's).
 *
 * @example
 * ```ts
 * try { await runJql(opts); } catch (e) {
 *   if (e instanceof JqlError) res.status(e.httpStatus).json(toMixpanelErrorBody(e, req.url));
 * }
 * ```
 */
export abstract class JqlError extends Error {
  /** HTTP status Mixpanel answers with for this kind of failure. */
  abstract readonly httpStatus: number;
  /** The `error` string of Mixpanel's JSON body. */
  abstract get mixpanelError(): string;
}

function caret(pos: JqlSourcePosition | undefined): string {
  if (!pos) return "";
  return `${pos.sourceLine}\n${" ".repeat(Math.max(0, pos.column - 1))}^\n`;
}

/**
 * The script does not compile. Mixpanel answers 400 (reference Q12: the exact text is unknown,
 * it probably reads `SyntaxError: ...`).
 *
 * @example
 * ```ts
 * await runJql({ script: "function main( {", source }).catch((e: JqlSyntaxError) => e.position?.line); // 1
 * ```
 */
export class JqlSyntaxError extends JqlError {
  readonly httpStatus = 400;
  override readonly name = "JqlSyntaxError";
  constructor(
    message: string,
    readonly position: JqlSourcePosition | undefined,
  ) {
    super(message);
  }
  get mixpanelError(): string {
    const where = this.position ? ` (line ${this.position.line})` : "";
    return `SyntaxError: ${this.message}${where}\n${caret(this.position)}`;
  }
}

/**
 * The script threw (or a JQL built-in threw on its behalf). Mixpanel answers 412 with
 * `UserVisiblePreconditionFailedError: Uncaught exception <Type>: <msg>`, the source line with a
 * caret, and the stack trace (reference section 5.5).
 *
 * @example
 * ```ts
 * const e = await runJql({ script: "function main(){ null.x }", source }).catch((x) => x);
 * e instanceof JqlRuntimeError && e.errorName; // "TypeError"
 * ```
 */
export class JqlRuntimeError extends JqlError {
  readonly httpStatus = 412;
  override readonly name = "JqlRuntimeError";
  constructor(
    /** The JavaScript error type thrown inside the script, e.g. `TypeError`, or `Error`. */
    readonly errorName: string,
    message: string,
    readonly position: JqlSourcePosition | undefined,
    /** Stack frames as the sandbox printed them, one `    at fn (<anonymous>:L:C)` per line. */
    readonly scriptStack: string,
  ) {
    super(message);
  }
  /** The position's line number, or undefined when the error did not come from a script line. */
  get line(): number | undefined {
    return this.position?.line;
  }
  get mixpanelError(): string {
    const head = `${this.errorName}: ${this.message}`;
    return (
      `UserVisiblePreconditionFailedError: Uncaught exception ${head}\n${caret(this.position)}` +
      `\nStack trace:\n${head}\n${this.scriptStack}`
    );
  }
}

/**
 * The script (or fetching its data) ran past `limits.timeoutMs` (Mixpanel's limit is two minutes).
 * The sandbox has been killed.
 *
 * @example
 * ```ts
 * await runJql({ script: "function main(){ for(;;){} }", source, limits: { timeoutMs: 500 } }); // rejects
 * ```
 */
export class JqlTimeoutError extends JqlError {
  readonly httpStatus = 412;
  override readonly name = "JqlTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`Query exceeded the time limit of ${timeoutMs} ms`);
  }
  get mixpanelError(): string {
    return `UserVisiblePreconditionFailedError: ${this.message}`;
  }
}

/**
 * The script needed more than `limits.memoryMb` of sandbox memory. The sandbox has been killed.
 *
 * @example
 * ```ts
 * await runJql({ script: "function main(){ var a=[]; for(;;) a.push('x'.repeat(1e6)) }", source }); // rejects
 * ```
 */
export class JqlMemoryError extends JqlError {
  readonly httpStatus = 412;
  override readonly name = "JqlMemoryError";
  constructor(readonly memoryMb: number) {
    super(`Query exceeded the memory limit of ${memoryMb} MB`);
  }
  get mixpanelError(): string {
    return `UserVisiblePreconditionFailedError: ${this.message}`;
  }
}

/**
 * The result would be larger than `limits.maxOutputBytes` of JSON (Mixpanel caps output at 2 GB).
 *
 * @example
 * ```ts
 * await runJql({ script, source, limits: { maxOutputBytes: 1024 } }); // rejects on a big result
 * ```
 */
export class JqlOutputLimitError extends JqlError {
  readonly httpStatus = 412;
  override readonly name = "JqlOutputLimitError";
  constructor(readonly maxOutputBytes: number) {
    super(`Query output exceeded the limit of ${maxOutputBytes} bytes`);
  }
  get mixpanelError(): string {
    return `UserVisiblePreconditionFailedError: ${this.message}`;
  }
}

/**
 * The sandbox itself failed (worker crashed, protocol broken). Never the script's fault as far as
 * we can tell, hence 500.
 *
 * @example
 * ```ts
 * if (e instanceof JqlInternalError) log.error(e.cause);
 * ```
 */
export class JqlInternalError extends JqlError {
  readonly httpStatus = 500;
  override readonly name = "JqlInternalError";
  get mixpanelError(): string {
    return `Internal error: ${this.message}`;
  }
}

/**
 * Mixpanel's error body for a JQL failure: `{"request": "<path and query>", "error": "<text>"}`.
 *
 * @example
 * ```ts
 * toMixpanelErrorBody(err, "/api/query/jql?project_id=1"); // { request: "...", error: "UserVisible..." }
 * ```
 */
export function toMixpanelErrorBody(error: JqlError, request: string): { request: string; error: string } {
  return { request, error: error.mixpanelError };
}
