import { defineAction } from "./define.js";
import {
  array,
  boolean,
  integer,
  json,
  object,
  oneOf,
  projectIdPath,
  string,
  workspaceIdPath,
} from "./fields.js";

// Feature flags: evaluation on the ingestion host (feature-flags.openapi.yaml) and management on the
// app API (feature-flags-management.openapi.yaml).

const evalAuth = ["serviceAccount", "projectSecret"] as const;
const evalScope = {
  token: string("Project token. Filled from the connection.", { in: "query", connection: "token" }),
  project_id: integer("Project id; filled from the connection with a service account.", {
    in: "query",
    connection: "project_id",
  }),
} as const;

export const evaluateFlags = defineAction({
  key: "evaluate-flags",
  title: "Evaluate Feature Flags",
  description: "The variants a user gets for the project's flags (remote evaluation, as the SDKs do).",
  family: "ingestion",
  method: "GET",
  path: "/flags",
  auth: evalAuth,
  operations: ["feature-flags#get-variant-assignments"],
  inputs: {
    ...evalScope,
    context: object(
      "Evaluation context: `{ distinct_id, device_id?, custom_properties? }` (sent as JSON text).",
      {
        required: true,
        example: { distinct_id: "user-1", custom_properties: { plan: "pro" } },
      },
    ),
  },
});

export const getFlagDefinitions = defineAction({
  key: "get-flag-definitions",
  title: "Get Feature Flag Definitions",
  description: "Every flag's rules, for local evaluation.",
  family: "ingestion",
  method: "GET",
  path: "/flags/definitions",
  auth: evalAuth,
  operations: ["feature-flags#get-flag-definitions"],
  inputs: { ...evalScope },
});

const base = { family: "query", auth: ["serviceAccount"] } as const;
const root = "/api/app/projects/{project_id}/workspaces/{workspace_id}/feature-flags";
const flagId = string("Flag id.", { required: true, example: "0a1b2c3d" });
const flagBody = {
  name: string("Display name.", { required: true, example: "New checkout" }),
  key: string("Key the SDKs use.", { required: true, example: "new_checkout" }),
  description: string("What the flag does."),
  tags: array(string("A tag."), "Tags.", { required: true, example: [] }),
  experiment_id: string("Linked experiment id."),
  status: oneOf(["enabled", "disabled", "archived"], "Flag status."),
  context: string("Context key variants are assigned by, e.g. `distinct_id` or `device_id`.", {
    required: true,
    example: "distinct_id",
  }),
  data_group_id: json("Group analytics data group id (string or number), or null."),
  serving_method: oneOf(
    ["client", "server", "remote_or_local", "remote_only"],
    "Where the flag is evaluated.",
    {
      required: true,
      example: "remote_or_local",
    },
  ),
  ruleset: object("`{ variants: [...], rollout: [...], test?: {...} }`.", {
    required: true,
    example: {
      variants: [
        { key: "control", value: false, is_control: true, split: 0.5 },
        { key: "on", value: true, is_control: false, split: 0.5 },
      ],
      rollout: [{ rollout_percentage: 1, variant_splits: { control: 0.5, on: 0.5 } }],
    },
  }),
  is_experiment_active: boolean("Whether the linked experiment is running."),
  hash_salt: string("Salt for variant hashing."),
  reset_hash_salt: boolean("Pick a new salt (reshuffles users)."),
} as const;

export const listFeatureFlags = defineAction({
  ...base,
  key: "list-feature-flags",
  title: "List Feature Flags",
  description: "List the workspace's feature flags.",
  method: "GET",
  path: root,
  operations: ["feature-flags-management#list-feature-flags"],
  inputs: {
    project_id: projectIdPath,
    workspace_id: workspaceIdPath,
    include_archived: oneOf(["true", "false"], "Include archived flags (Mixpanel default false)."),
  },
});

export const createFeatureFlag = defineAction({
  ...base,
  key: "create-feature-flag",
  title: "Create Feature Flag",
  description: "Create a feature flag.",
  method: "POST",
  path: root,
  operations: ["feature-flags-management#create-feature-flag"],
  inputs: { project_id: projectIdPath, workspace_id: workspaceIdPath, ...flagBody },
});

export const getFeatureFlag = defineAction({
  ...base,
  key: "get-feature-flag",
  title: "Get Feature Flag",
  description: "Get one feature flag.",
  method: "GET",
  path: `${root}/{flag_id}`,
  operations: ["feature-flags-management#get-feature-flag"],
  inputs: { project_id: projectIdPath, workspace_id: workspaceIdPath, flag_id: flagId },
});

export const updateFeatureFlag = defineAction({
  ...base,
  key: "update-feature-flag",
  title: "Update Feature Flag",
  description: "Replace a feature flag's definition.",
  method: "PUT",
  path: `${root}/{flag_id}`,
  operations: ["feature-flags-management#update-feature-flag"],
  inputs: { project_id: projectIdPath, workspace_id: workspaceIdPath, flag_id: flagId, ...flagBody },
});

export const deleteFeatureFlag = defineAction({
  ...base,
  key: "delete-feature-flag",
  title: "Delete Feature Flag",
  description: "Delete (archive) a feature flag.",
  method: "DELETE",
  path: `${root}/{flag_id}`,
  operations: ["feature-flags-management#delete-feature-flag"],
  inputs: { project_id: projectIdPath, workspace_id: workspaceIdPath, flag_id: flagId },
});
