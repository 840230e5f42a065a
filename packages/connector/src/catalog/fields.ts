import type {
  ArrayField,
  BooleanField,
  EnumField,
  Field,
  JsonField,
  NumberField,
  ObjectField,
  RecordsField,
  StringField,
} from "../schema.js";

// Terse constructors for catalog data. The `const` type parameters keep literal types (`required: true`,
// enum values) so the client's input types are exact.
type Extra<F> = Partial<Omit<F, "type" | "description">>;
/** No extra field properties (`{}` without the lint noise). */
type None = Record<never, never>;

export const string = <const O extends Extra<StringField> = None>(description: string, extra?: O) =>
  ({ type: "string", description, ...(extra as O) }) as { type: "string"; description: string } & O;

export const number = <const O extends Extra<NumberField> = None>(description: string, extra?: O) =>
  ({ type: "number", description, ...(extra as O) }) as { type: "number"; description: string } & O;

export const integer = <const O extends Extra<NumberField> = None>(description: string, extra?: O) =>
  ({ type: "number", integer: true, description, ...(extra as O) }) as {
    type: "number";
    integer: true;
    description: string;
  } & O;

export const boolean = <const O extends Extra<BooleanField> = None>(description: string, extra?: O) =>
  ({ type: "boolean", description, ...(extra as O) }) as { type: "boolean"; description: string } & O;

export const oneOf = <
  const V extends readonly (string | number)[],
  const O extends Extra<Omit<EnumField, "values">> = None,
>(
  values: V,
  description: string,
  extra?: O,
) =>
  ({ type: "enum", values, description, ...(extra as O) }) as {
    type: "enum";
    values: V;
    description: string;
  } & O;

export const array = <const I extends Field, const O extends Extra<Omit<ArrayField, "items">> = None>(
  items: I,
  description: string,
  extra?: O,
) =>
  ({ type: "array", items, description, ...(extra as O) }) as {
    type: "array";
    items: I;
    description: string;
  } & O;

export const object = <const O extends Extra<ObjectField> = None>(description: string, extra?: O) =>
  ({ type: "object", description, ...(extra as O) }) as { type: "object"; description: string } & O;

export const json = <const O extends Extra<JsonField> = None>(description: string, extra?: O) =>
  ({ type: "json", description, ...(extra as O) }) as { type: "json"; description: string } & O;

export const records = <const O extends Extra<RecordsField> = None>(description: string, extra?: O) =>
  ({ type: "records", description, ...(extra as O) }) as { type: "records"; description: string } & O;

// Fields shared by many actions.

/** `project_id` as a query parameter; needed with a service account, omitted with a project secret. */
export const projectIdQuery = integer(
  'Project id. Filled from the connection; sent only with service-account or OAuth auth (Mixpanel: "do not provide if using secret auth").',
  {
    in: "query",
    connection: "project_id",
    example: 12345,
  },
);
/** `project_id` in the path (app API). */
export const projectIdPath = integer("Project id. Filled from the connection.", {
  required: true,
  connection: "project_id",
  example: 12345,
});
/** `workspace_id` (data view) as a query parameter. */
export const workspaceIdQuery = integer("Workspace (data view) id. Filled from the connection when set.", {
  in: "query",
  connection: "workspace_id",
});
/** `workspace_id` in the path. */
export const workspaceIdPath = integer("Workspace (data view) id. Filled from the connection.", {
  required: true,
  connection: "workspace_id",
  example: 67890,
});
export const fromDate = string("Start date, yyyy-mm-dd, inclusive.", {
  required: true,
  format: "date",
  example: "2024-01-01",
});
export const toDate = string("End date, yyyy-mm-dd, inclusive.", {
  required: true,
  format: "date",
  example: "2024-01-31",
});
export const where = string(
  'Expression filtering events, e.g. `properties["$os"] == "iOS"` (docs: reference/segmentation-expressions).',
  {
    format: "expression",
  },
);
export const on = string('Property expression to segment by, e.g. `properties["$browser"]`.', {
  format: "expression",
});
/** Project token for bodies and GDPR's query parameter. */
export const tokenField = string("Project token. Filled from the connection.", {
  connection: "token",
  required: true,
});
