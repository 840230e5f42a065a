/**
 * SQL fragments: text with holes for values and identifiers, rendered late by a {@link Dialect}.
 *
 * Nothing user-supplied is ever concatenated into SQL text: values become bound parameters (or, for
 * engines without server-side parameters, literals escaped by the dialect), identifiers are quoted by
 * the dialect. The only way to put text into a fragment is {@link sql.raw}, which is meant for
 * constants written in our own source code.
 */

/** A value that can be bound to a parameter. */
export type SqlValue = string | number | bigint | boolean | null | readonly SqlValue[];

/** One piece of a fragment. */
export type Chunk =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "value"; readonly value: SqlValue }
  | { readonly kind: "ident"; readonly name: string }
  | { readonly kind: "literal"; readonly value: SqlValue };

/**
 * An immutable SQL fragment.
 *
 * @example
 * ```ts
 * const q = sql`SELECT count(*) FROM events WHERE event = ${name}`;
 * ```
 */
export class Sql {
  /** @internal */
  constructor(readonly chunks: readonly Chunk[]) {}

  /** Appends another fragment (or template) to this one, separated by a space. */
  append(other: Sql): Sql {
    return new Sql([...this.chunks, { kind: "text", text: " " }, ...other.chunks]);
  }

  /** True when the fragment holds no text and no values. */
  get isEmpty(): boolean {
    return this.chunks.every((c) => c.kind === "text" && c.text.trim() === "");
  }
}

/** Anything that may be interpolated into a {@link sql} template. */
export type SqlInterpolation = Sql | SqlValue | undefined;

function fromTemplate(strings: TemplateStringsArray, values: readonly SqlInterpolation[]): Sql {
  const chunks: Chunk[] = [];
  strings.forEach((text, i) => {
    if (text !== "") chunks.push({ kind: "text", text });
    if (i >= values.length) return;
    const v = values[i];
    if (v instanceof Sql) chunks.push(...v.chunks);
    else if (v === undefined) throw new TypeError("sql: cannot interpolate undefined");
    else chunks.push({ kind: "value", value: v });
  });
  return new Sql(chunks);
}

/**
 * Tagged template that builds a {@link Sql} fragment. Interpolated fragments are inlined; any other
 * interpolated value becomes a bound parameter.
 *
 * @example
 * ```ts
 * const where = sql`event = ${"Signed Up"}`;
 * const q = sql`SELECT * FROM ${sql.ident("events")} WHERE ${where} LIMIT ${10}`;
 * ```
 */
export function sql(strings: TemplateStringsArray, ...values: SqlInterpolation[]): Sql {
  return fromTemplate(strings, values);
}

/** A quoted identifier (table, column, alias). The dialect escapes it. */
sql.ident = (name: string): Sql => new Sql([{ kind: "ident", name }]);

/**
 * Trusted SQL text from our own source code (operators, function names, keywords). Never pass user
 * input here.
 */
sql.raw = (text: string): Sql => new Sql([{ kind: "text", text }]);

/** A value rendered as an escaped literal instead of a parameter (e.g. inside DDL or lambda bodies). */
sql.literal = (value: SqlValue): Sql => new Sql([{ kind: "literal", value }]);

/** A bound parameter; the same as interpolating the value. */
sql.value = (value: SqlValue): Sql => new Sql([{ kind: "value", value }]);

/** Joins fragments with a separator (default `, `). */
sql.join = (parts: readonly Sql[], separator: Sql | string = ", "): Sql => {
  const sep = typeof separator === "string" ? sql.raw(separator) : separator;
  const chunks: Chunk[] = [];
  parts.forEach((p, i) => {
    if (i > 0) chunks.push(...sep.chunks);
    chunks.push(...p.chunks);
  });
  return new Sql(chunks);
};

/** The empty fragment. */
sql.empty = new Sql([]);
