import { defineAction } from "./define.js";
import { projectIdQuery, string } from "./fields.js";

// Lookup tables (ingestion.openapi.yaml). Tables are created in Mixpanel's UI; the API lists and
// replaces them (docs: reference/replace-lookup-table).

const projectId = { ...projectIdQuery, required: true } as const;

export const listLookupTables = defineAction({
  key: "list-lookup-tables",
  title: "List Lookup Tables",
  description: "List the project's lookup tables (id and name).",
  family: "ingestion",
  method: "GET",
  path: "/lookup-tables",
  auth: ["serviceAccount"],
  operations: ["ingestion#list-lookup-tables"],
  inputs: { project_id: projectId },
});

export const replaceLookupTable = defineAction({
  key: "replace-lookup-table",
  title: "Replace a Lookup Table",
  description:
    "Replace a lookup table with CSV (RFC 4180; first row headers, first column the unique join key). All or nothing; at most 100 MB and 100 calls per 24 h.",
  family: "ingestion",
  method: "PUT",
  path: "/lookup-tables/{id}",
  auth: ["serviceAccount", "projectSecret"],
  body: "csv",
  operations: ["ingestion#replace-lookup-table"],
  inputs: {
    id: string("Lookup table id (from List Lookup Tables or Lexicon).", {
      required: true,
      example: "0b7e3e16-0000-4000-8000-000000000000",
    }),
    project_id: projectIdQuery,
    csv: string("Table contents as CSV text (in the CLI: `@file.csv`).", {
      required: true,
      example: "id,name\n1,Alpha\n",
    }),
  },
  build: (input) => ({ body: input["csv"] }),
});
