import { defineAction } from "./define.js";
import { json, projectIdQuery, string, workspaceIdQuery } from "./fields.js";

// JQL (query.openapi.yaml, /jql): JavaScript run by Mixpanel over events and profiles. Scripts stop
// after 2 minutes (docs: reference/query-jql); failures come back as HTTP 412.

export const customJqlQuery = defineAction({
  key: "custom-jql-query",
  title: "Custom JQL Query",
  description: "Run a JQL script (`function main() { return Events({...})... }`) with optional params.",
  family: "query",
  method: "POST",
  path: "/api/query/jql",
  auth: ["serviceAccount", "projectSecret"],
  body: "form",
  // A JQL script only reads data, so repeating it after a 5xx is harmless.
  idempotent: true,
  operations: ["query#query-jql"],
  inputs: {
    project_id: projectIdQuery,
    workspace_id: workspaceIdQuery,
    script: string("The JQL script (in the CLI: `@script.js`).", {
      required: true,
      format: "javascript",
      example: 'function main() { return Events(params).groupBy(["name"], mixpanel.reducer.count()); }',
    }),
    params: json("Object available to the script as `params` (sent as JSON text).", {
      example: { from_date: "2024-01-01", to_date: "2024-01-31" },
    }),
  },
});
