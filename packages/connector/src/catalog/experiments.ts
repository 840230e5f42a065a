import { defineAction } from "./define.js";
import { array, boolean, json, object, string, workspaceIdPath } from "./fields.js";

// Experiments (experiments.openapi.yaml) on the app API, scoped by workspace.

const base = { family: "query", auth: ["serviceAccount"] } as const;
const root = "/api/app/workspaces/{workspace_id}/experiments";
const experimentId = string("Experiment id.", { required: true, example: "exp-1" });
const scope = { workspace_id: workspaceIdPath, experiment_id: experimentId } as const;
const definition = {
  description: string("What is tested."),
  hypothesis: string("Expected outcome."),
  settings: object("Experiment settings."),
  variants: array(json("A variant."), "Variants."),
  metrics: array(json("A metric."), "Metrics."),
  global_access_type: string("Sharing level."),
} as const;

export const listExperiments = defineAction({
  ...base,
  key: "list-experiments",
  title: "List Experiments",
  description: "List the workspace's experiments.",
  method: "GET",
  path: root,
  operations: ["experiments#list-experiments"],
  inputs: { workspace_id: workspaceIdPath },
});

export const createExperiment = defineAction({
  ...base,
  key: "create-experiment",
  title: "Create Experiment",
  description: "Create an experiment (draft).",
  method: "POST",
  path: root,
  operations: ["experiments#create-experiment"],
  inputs: {
    workspace_id: workspaceIdPath,
    name: string("Name.", { required: true, example: "Checkout test" }),
    ...definition,
  },
});

export const getExperiment = defineAction({
  ...base,
  key: "get-experiment",
  title: "Get Experiment",
  description: "Get one experiment.",
  method: "GET",
  path: `${root}/{experiment_id}`,
  operations: ["experiments#get-experiment"],
  inputs: scope,
});

export const updateExperiment = defineAction({
  ...base,
  key: "update-experiment",
  title: "Update Experiment",
  description: "Change an experiment's fields.",
  method: "PATCH",
  path: `${root}/{experiment_id}`,
  idempotent: true,
  operations: ["experiments#update-experiment"],
  inputs: {
    ...scope,
    name: string("Name."),
    ...definition,
    status: string("draft, active, concluded, success or fail."),
    start_date: string("Start date-time.", { format: "datetime" }),
    end_date: string("End date-time.", { format: "datetime" }),
    exposures_cache: object("Cached exposures."),
    results_cache: object("Cached results."),
    tags: array(string("A tag."), "Tags."),
  },
});

export const deleteExperiment = defineAction({
  ...base,
  key: "delete-experiment",
  title: "Delete Experiment",
  description: "Delete an experiment.",
  method: "DELETE",
  path: `${root}/{experiment_id}`,
  operations: ["experiments#delete-experiment"],
  inputs: scope,
});

const lifecycle = <const K extends string>(
  key: K,
  title: string,
  description: string,
  method: "POST" | "DELETE" | "PUT",
  suffix: string,
  operation: string,
) =>
  defineAction({
    ...base,
    key,
    title,
    description,
    method,
    path: `${root}/{experiment_id}/${suffix}`,
    idempotent: true,
    operations: [`experiments#${operation}`],
    inputs: scope,
    build: () => (method === "DELETE" ? {} : { body: {} }),
  });

export const archiveExperiment = lifecycle(
  "archive-experiment",
  "Archive Experiment",
  "Archive an experiment.",
  "POST",
  "archive",
  "archive-experiment",
);
export const unarchiveExperiment = lifecycle(
  "unarchive-experiment",
  "Unarchive Experiment",
  "Restore an archived experiment.",
  "DELETE",
  "archive",
  "unarchive-experiment",
);
export const launchExperiment = lifecycle(
  "launch-experiment",
  "Launch Experiment",
  "Start an experiment.",
  "PUT",
  "launch",
  "launch-experiment",
);

export const decideExperiment = defineAction({
  ...base,
  key: "decide-experiment",
  title: "Decide Experiment",
  description: "Record the decision on an experiment (success or not, and the winning variant).",
  method: "PATCH",
  path: `${root}/{experiment_id}/decide`,
  idempotent: true,
  operations: ["experiments#decide-experiment"],
  inputs: {
    ...scope,
    success: boolean("Whether the experiment succeeded.", { required: true, example: true }),
    variant: string("Winning variant key."),
    message: string("Decision note."),
  },
});

export const forceConcludeExperiment = defineAction({
  ...base,
  key: "force-conclude-experiment",
  title: "Force Conclude Experiment",
  description: "End an experiment now.",
  method: "PUT",
  path: `${root}/{experiment_id}/force_conclude`,
  idempotent: true,
  operations: ["experiments#force-conclude-experiment"],
  inputs: { ...scope, end_date: string("End date-time (default now).", { format: "datetime" }) },
  build: (input) => ({ body: input["end_date"] === undefined ? {} : { end_date: input["end_date"] } }),
});
