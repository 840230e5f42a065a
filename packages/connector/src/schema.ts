/**
 * A tiny zero-dependency schema for action inputs. One schema drives the typed client (at the type
 * level), runtime validation, CLI flags and the generated reference docs.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Where an input goes on the wire. Path parameters are found from the action's path template. */
export type FieldLocation = "path" | "query" | "body" | "client";

/** Values a field can take from the connection when the caller leaves it out. */
export type ConnectionValue = "project_id" | "workspace_id" | "token";

interface FieldBase {
  /** One or two sentences; becomes the JSDoc-like comment in docs and `--help`. */
  readonly description: string;
  readonly required?: boolean;
  /**
   * Overrides the location the action's method implies (GET → query, otherwise body). `client` inputs
   * never reach the wire: they tune the client (batch size, concurrency).
   */
  readonly in?: FieldLocation;
  /** Filled from the connection (client options, CLI profile) when omitted. */
  readonly connection?: ConnectionValue;
  /** Example value for docs and generated tests. */
  readonly example?: unknown;
  /** Applied by the connector when the caller leaves the input out. */
  readonly default?: unknown;
}

export interface StringField extends FieldBase {
  readonly type: "string";
  readonly default?: string;
  /** `date` means `yyyy-mm-dd`, the format Mixpanel uses for every `from_date`/`to_date`. */
  readonly format?: "date" | "datetime" | "expression" | "javascript";
}
export interface NumberField extends FieldBase {
  readonly type: "number";
  readonly integer?: boolean;
  readonly default?: number;
}
export interface BooleanField extends FieldBase {
  readonly type: "boolean";
  readonly default?: boolean;
}
export interface EnumField extends FieldBase {
  readonly type: "enum";
  readonly values: readonly (string | number)[];
  readonly default?: string | number;
}
export interface ArrayField extends FieldBase {
  readonly type: "array";
  readonly items: Field;
  /**
   * Send as repeated parameters (`events=a&events=b`) instead of Mixpanel's usual JSON text
   * (`event=["a","b"]`); the pipelines API wants this form.
   */
  readonly explode?: boolean;
}
export interface ObjectField extends FieldBase {
  readonly type: "object";
  /** Known keys; when absent the object is a free-form map (e.g. event properties). */
  readonly properties?: Readonly<Record<string, Field>>;
}
export interface JsonField extends FieldBase {
  readonly type: "json";
}
/** A sequence of JSON objects: an array, an iterable or an async iterable (streamed, never buffered). */
export interface RecordsField extends FieldBase {
  readonly type: "records";
}

export type Field =
  | StringField
  | NumberField
  | BooleanField
  | EnumField
  | ArrayField
  | ObjectField
  | JsonField
  | RecordsField;

export type Inputs = Readonly<Record<string, Field>>;

/** A JSON object record (event, profile update, row). */
export type JsonRecord = { [key: string]: unknown };

/** Records given to streaming actions such as `importEvents`. */
export type RecordSource<T = JsonRecord> = Iterable<T> | AsyncIterable<T>;

/** The TypeScript type of one field's value. */
export type ValueOf<F> = F extends { readonly type: "string" }
  ? string
  : F extends { readonly type: "number" }
    ? number
    : F extends { readonly type: "boolean" }
      ? boolean
      : F extends { readonly type: "enum"; readonly values: readonly (infer V)[] }
        ? V
        : F extends { readonly type: "array"; readonly items: infer I }
          ? ValueOf<I>[]
          : F extends { readonly type: "object"; readonly properties: infer P extends Inputs }
            ? InputOf<P>
            : F extends { readonly type: "object" }
              ? JsonRecord
              : F extends { readonly type: "records" }
                ? RecordSource
                : unknown;

type IsRequired<F> = F extends { readonly connection: ConnectionValue }
  ? false
  : F extends { readonly default: unknown }
    ? false
    : F extends { readonly required: true }
      ? true
      : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The caller-facing input object for a schema: required keys without defaults are mandatory. */
export type InputOf<S extends Inputs> = Simplify<
  { -readonly [K in keyof S as IsRequired<S[K]> extends true ? K : never]: ValueOf<S[K]> } & {
    -readonly [K in keyof S as IsRequired<S[K]> extends true ? never : K]?: ValueOf<S[K]>;
  }
>;
