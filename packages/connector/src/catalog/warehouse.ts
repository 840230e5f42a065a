import { defineAction } from "./define.js";
import { boolean, integer, object, oneOf, projectIdPath, string } from "./fields.js";

// Warehouse connectors (warehouse-connectors.openapi.yaml): imports from BigQuery, Snowflake,
// Databricks, Redshift... into Mixpanel. `run_every` is in nanoseconds (Go durations).

const base = { family: "query", auth: ["serviceAccount"] } as const;
const root = "/api/app/projects/{project_id}/warehouse-sources/imports";
const importId = integer("Warehouse import id.", { required: true, example: 321 });
const runEvery = oneOf(
  [0, 3600000000000, 86400000000000, 604800000000000],
  "Sync period in ns: 0 only on demand, 1 h, 1 day or 1 week.",
);
const syncMode = oneOf(["time_based", "mirror_mode", "full_sync", "one_time"], "How rows are picked up.", {
  required: true,
  example: "time_based",
});
const source = {
  project_id: projectIdPath,
  warehouse_source_id: integer("Warehouse source (connection) id.", { required: true, example: 11 }),
  table_params: object("Table location; keys depend on the warehouse (e.g. `{ dataset, table }`).", {
    required: true,
    example: { dataset: "analytics", table: "events" },
  }),
  run_every: runEvery,
  databricks_params: object("Databricks-only settings."),
} as const;
const mapping = {
  insert_time_column_name: string("Column with the row's insert time (for time_based syncs)."),
  json_properties_column_name: string("Column holding a JSON object of extra properties."),
  property_mappings: object("Column → property name mapping."),
} as const;

export const listWarehouseImports = defineAction({
  ...base,
  key: "list-warehouse-imports",
  title: "List Warehouse Imports",
  description: "List the project's warehouse imports.",
  method: "GET",
  path: root,
  operations: ["warehouse-connectors#list-warehouse-imports"],
  inputs: { project_id: projectIdPath },
});

export const getWarehouseImport = defineAction({
  ...base,
  key: "get-warehouse-import",
  title: "Get Warehouse Import",
  description: "Get one warehouse import.",
  method: "GET",
  path: `${root}/{import_id}`,
  operations: ["warehouse-connectors#get-warehouse-import"],
  inputs: { project_id: projectIdPath, import_id: importId },
});

export const updateWarehouseImport = defineAction({
  ...base,
  key: "update-warehouse-import",
  title: "Update Warehouse Import",
  description: "Pause or resume an import and change how often it runs.",
  method: "PATCH",
  path: `${root}/{import_id}`,
  idempotent: true,
  operations: ["warehouse-connectors#update-warehouse-import"],
  inputs: {
    project_id: projectIdPath,
    import_id: importId,
    paused: boolean("true pauses, false resumes.", { required: true, example: false }),
    run_every: { ...runEvery, required: true, example: 86400000000000 },
    databricks_params: object("Databricks-only settings."),
  },
});

export const deleteWarehouseImport = defineAction({
  ...base,
  key: "delete-warehouse-import",
  title: "Delete Warehouse Import",
  description: "Delete an import, optionally with the data it brought in.",
  method: "DELETE",
  path: `${root}/{import_id}`,
  operations: ["warehouse-connectors#delete-warehouse-import"],
  inputs: {
    project_id: projectIdPath,
    import_id: importId,
    delete_data: boolean("Also delete the imported data from Mixpanel.", { in: "body", default: false }),
  },
});

export const createEventStreamImport = defineAction({
  ...base,
  key: "create-event-stream-import",
  title: "Create Event Stream Import",
  description: "Import events from a warehouse table.",
  method: "POST",
  path: `${root}/event-stream`,
  operations: ["warehouse-connectors#create-event-stream-import"],
  inputs: {
    ...source,
    event_name: string("Fixed event name for every row (or use `event_column_name`)."),
    event_column_name: string("Column with the event name."),
    time_column_name: string("Column with the event time.", { required: true, example: "created_at" }),
    user_column_name: string("Column with the user id."),
    company_column_name: string("Column with the company id (B2B projects)."),
    device_column_name: string("Column with the device id."),
    sync_mode: syncMode,
    ...mapping,
  },
  build: (input) => ({ body: { import_type: "event_stream", ...withoutPath(input) } }),
});

export const createPeopleImport = defineAction({
  ...base,
  key: "create-people-import",
  title: "Create People Import",
  description: "Import user profiles from a warehouse table.",
  method: "POST",
  path: `${root}/people`,
  operations: ["warehouse-connectors#create-people-import"],
  inputs: {
    ...source,
    user_column_name: string("Column with the user id.", { required: true, example: "user_id" }),
    sync_mode: syncMode,
    ...mapping,
  },
  build: (input) => ({ body: { import_type: "people", ...withoutPath(input) } }),
});

export const createGroupsImport = defineAction({
  ...base,
  key: "create-groups-import",
  title: "Create Groups Import",
  description: "Import group profiles from a warehouse table.",
  method: "POST",
  path: `${root}/groups`,
  operations: ["warehouse-connectors#create-groups-import"],
  inputs: {
    ...source,
    group_key: string("Group key.", { required: true, example: "company_id" }),
    group_id_column: string("Column with the group id.", { required: true, example: "company_id" }),
    sync_mode: syncMode,
    ...mapping,
  },
  build: (input) => ({ body: { import_type: "groups", ...withoutPath(input) } }),
});

export const createLookupTableImport = defineAction({
  ...base,
  key: "create-lookup-table-import",
  title: "Create Lookup Table Import",
  description: "Fill a lookup table from a warehouse table.",
  method: "POST",
  path: `${root}/lookup-table`,
  operations: ["warehouse-connectors#create-lookup-table-import"],
  inputs: {
    ...source,
    mixpanel_property: object("The property the table joins on, e.g. `{ name, resourceType }`.", {
      required: true,
      example: { name: "product_id", resourceType: "event" },
    }),
    property_key_column_name: string("Column with the join key.", { required: true, example: "product_id" }),
    sync_mode: oneOf(["full_sync", "one_time"], "How rows are picked up.", {
      required: true,
      example: "full_sync",
    }),
  },
  build: (input) => ({ body: { import_type: "lookup_table", ...withoutPath(input) } }),
});

export const runWarehouseImport = defineAction({
  ...base,
  key: "run-warehouse-import",
  title: "Run Warehouse Import",
  aliases: ["Manual Sync"],
  description: "Start a sync of an import now (manual sync).",
  method: "PUT",
  path: `${root}/{import_id}/manual-sync`,
  // Starting a sync twice queues two runs.
  idempotent: false,
  operations: ["warehouse-connectors#run-an-import"],
  inputs: { project_id: projectIdPath, import_id: importId },
  build: () => ({ body: {} }),
});

export const getWarehouseImportHistory = defineAction({
  ...base,
  key: "get-warehouse-import-history",
  title: "Get Warehouse Import History",
  description: "Past runs of an import with status and event counts.",
  method: "GET",
  path: `${root}/{import_id}/history`,
  operations: ["warehouse-connectors#get-import-history"],
  inputs: { project_id: projectIdPath, import_id: importId },
});

function withoutPath(input: Record<string, unknown>): Record<string, unknown> {
  const { project_id: _projectId, ...rest } = input;
  return rest;
}
