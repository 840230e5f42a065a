import { defineAction } from "./define.js";
import { array, boolean, object, oneOf, projectIdPath, string } from "./fields.js";

// Lexicon schemas (lexicon-schemas.openapi.yaml): the data dictionary. Limits: 5 requests per minute
// per organisation (docs: reference/lexicon-schemas-api).

const base = { family: "query", auth: ["serviceAccount"] } as const;
const entityType = oneOf(["event", "profile"], "Entity type.", { required: true, example: "event" });
const name = string("Entity name, e.g. the event name.", { required: true, example: "Signed Up" });
const root = "/api/app/projects/{project_id}/schemas";

export const listSchemas = defineAction({
  ...base,
  key: "list-schemas",
  title: "List Schemas",
  description: "List every Lexicon schema of the project.",
  method: "GET",
  path: root,
  operations: ["lexicon-schemas#list-all-schemas-for-project"],
  inputs: { project_id: projectIdPath },
});

export const uploadSchemas = defineAction({
  ...base,
  key: "upload-schemas",
  title: "Create or Replace Schemas",
  description: "Create or replace many schemas at once; `truncate` first empties the dictionary.",
  method: "POST",
  path: root,
  idempotent: true,
  operations: ["lexicon-schemas#upload-schemas-for-project"],
  inputs: {
    project_id: projectIdPath,
    entries: array(object("`{ entityType, name, schemaJson }`."), "Schema entries.", {
      required: true,
      example: [{ entityType: "event", name: "Signed Up", schemaJson: { description: "A user signed up" } }],
    }),
    truncate: boolean("Delete the whole data dictionary before inserting."),
  },
});

export const deleteAllSchemas = defineAction({
  ...base,
  key: "delete-all-schemas",
  title: "Delete All Schemas",
  description: "Delete every schema of the project.",
  method: "DELETE",
  path: root,
  operations: ["lexicon-schemas#delete-all-schemas-in-project"],
  inputs: { project_id: projectIdPath },
});

export const listSchemasForEntity = defineAction({
  ...base,
  key: "list-schemas-for-entity",
  title: "List Schemas for Entity",
  description: "List schemas of one entity type.",
  method: "GET",
  path: `${root}/{entity_type}`,
  operations: ["lexicon-schemas#list-schemas-for-entity"],
  inputs: {
    project_id: projectIdPath,
    entity_type: entityType,
    entity_name: string("Only this entity name."),
  },
});

export const deleteSchemasForEntity = defineAction({
  ...base,
  key: "delete-schemas-for-entity",
  title: "Delete Schemas for Entity",
  description: "Delete schemas of one entity type.",
  method: "DELETE",
  path: `${root}/{entity_type}`,
  operations: ["lexicon-schemas#delete-schemas-for-entity"],
  inputs: {
    project_id: projectIdPath,
    entity_type: entityType,
    entity_name: string("Only this entity name."),
  },
});

export const getSchema = defineAction({
  ...base,
  key: "get-schema",
  title: "Get Schema",
  description: "Get the schema of one event or profile property set.",
  method: "GET",
  path: `${root}/{entity_type}/{name}`,
  operations: ["lexicon-schemas#list-schemas-by-entity-and-name"],
  inputs: { project_id: projectIdPath, entity_type: entityType, name },
});

export const deleteSchema = defineAction({
  ...base,
  key: "delete-schema",
  title: "Delete Schema",
  description: "Delete one schema.",
  method: "DELETE",
  path: `${root}/{entity_type}/{name}`,
  operations: ["lexicon-schemas#delete-schema-by-entity-and-name"],
  inputs: { project_id: projectIdPath, entity_type: entityType, name },
});

export const uploadSchema = defineAction({
  ...base,
  key: "upload-schema",
  title: "Create or Replace Schema",
  description: "Create or replace one schema (JSON-Schema-like: description, properties, metadata).",
  method: "POST",
  path: `${root}/{entity_type}/{name}`,
  idempotent: true,
  operations: ["lexicon-schemas#upload-schema-by-entity-and-name"],
  inputs: {
    project_id: projectIdPath,
    entity_type: entityType,
    name,
    description: string("Entity description.", { example: "A user signed up" }),
    properties: object("Property name → `{ type, description, metadata }`."),
    metadata: object('`{ "com.mixpanel": { displayName, tags, hidden, dropped, ... } }`.'),
  },
});
