import type { Sql, SqlValue } from "./fragment.js";

/**
 * How one SQL engine spells identifiers, literals and parameters. Engine-specific *functions* (JSON
 * access, date bucketing) belong to the modules that need them, keyed by {@link Dialect.name}.
 */
export interface Dialect {
  /** Engine name, e.g. `duckdb` or `clickhouse`. */
  readonly name: string;
  /** Quotes an identifier. */
  escapeIdent(name: string): string;
  /** Renders a value as a literal that the engine parses back to the same value. */
  escapeLiteral(value: SqlValue): string;
  /**
   * Placeholder text for the parameter at `index` (0-based), or `undefined` when the engine has no
   * server-side parameters, in which case values are rendered with {@link Dialect.escapeLiteral}.
   */
  placeholder(index: number): string | undefined;
}

/** A rendered statement: text plus the values bound to its placeholders, in order. */
export interface RenderedSql {
  readonly text: string;
  readonly params: SqlValue[];
}

/**
 * Renders a fragment for a dialect.
 *
 * @example
 * ```ts
 * render(sql`SELECT ${1}`, duckdb) // { text: "SELECT $1", params: [1] }
 * ```
 */
export function render(fragment: Sql, dialect: Dialect): RenderedSql {
  let text = "";
  const params: SqlValue[] = [];
  for (const chunk of fragment.chunks) {
    switch (chunk.kind) {
      case "text":
        text += chunk.text;
        break;
      case "ident":
        text += dialect.escapeIdent(chunk.name);
        break;
      case "literal":
        text += dialect.escapeLiteral(chunk.value);
        break;
      case "value": {
        const ph = dialect.placeholder(params.length);
        if (ph === undefined) text += dialect.escapeLiteral(chunk.value);
        else {
          params.push(chunk.value);
          text += ph;
        }
        break;
      }
    }
  }
  return { text, params };
}

/** Renders a fragment with every value inlined as an escaped literal. */
export function renderInline(fragment: Sql, dialect: Dialect): string {
  return render(fragment, { ...dialect, placeholder: () => undefined }).text;
}
