import type { Field } from "../schema.js";
import { defineAction } from "./define.js";
import { array, object, oneOf, string, tokenField } from "./fields.js";

// Group profiles (ingestion.openapi.yaml, /groups). Mixpanel does not support $add or $append on
// groups (docs: data-structure/user-profiles), so there are no such actions.

const verbose = oneOf([0, 1], "1 makes Mixpanel answer `{status, error}` so rejections are reported.", {
  in: "query",
  default: 1,
});
const groupCommon = {
  group_key: string("The group key, e.g. `company_id`.", { required: true, example: "company_id" }),
  group_id: string("The group's id.", { required: true, example: "acme" }),
  token: tokenField,
  verbose,
  strict: oneOf([0, 1], "1 validates each update and reports per-record errors.", { in: "query" }),
} as const;

function groupAction<const K extends string, const N extends string, const P extends Field>(
  spec: { key: K; title: string; op: string; field: N; operation: string; description: string },
  payload: P,
) {
  return defineAction({
    key: spec.key,
    title: spec.title,
    description: spec.description,
    family: "ingestion",
    method: "POST",
    path: "/groups",
    auth: ["none"],
    ingestion: true,
    idempotent: true,
    operations: [`ingestion#${spec.operation}`],
    inputs: { ...groupCommon, [spec.field]: payload } as typeof groupCommon & Record<N, P>,
    build: (input) => ({
      body: [
        {
          $token: input["token"],
          $group_key: input["group_key"],
          $group_id: input["group_id"],
          [spec.op]: spec.op === "$delete" ? "" : input[spec.field],
        },
      ],
    }),
  });
}

const props = (what: string) =>
  object(what, { required: true, example: { name: "Acme", plan: "enterprise" } });

export const setGroupProperties = groupAction(
  {
    key: "set-group-properties",
    title: "Update Group Property",
    op: "$set",
    field: "properties",
    operation: "group-set-property",
    description: "Set properties on a group profile, creating it if needed (`$set`).",
  },
  props("Properties to set."),
);
export const setGroupPropertiesOnce = groupAction(
  {
    key: "set-group-properties-once",
    title: "Set Group Property Once",
    op: "$set_once",
    field: "properties",
    operation: "group-set-property-once",
    description: "Set group properties only where no value exists yet (`$set_once`).",
  },
  props("Properties to set when absent."),
);
export const unsetGroupProperties = groupAction(
  {
    key: "unset-group-properties",
    title: "Delete Group Property",
    op: "$unset",
    field: "names",
    operation: "group-delete-property",
    description: "Remove properties from a group profile (`$unset`).",
  },
  array(string("Property name."), "Property names to remove.", { required: true, example: ["plan"] }),
);
export const removeGroupListProperties = groupAction(
  {
    key: "remove-group-list-properties",
    title: "Remove from Group List Property",
    op: "$remove",
    field: "values",
    operation: "group-remove-from-list-property",
    description: "Remove a value from group list properties (`$remove`).",
  },
  object("Property → value to remove.", { required: true, example: { regions: "emea" } }),
);
export const unionGroupListProperties = groupAction(
  {
    key: "union-group-list-properties",
    title: "Union To Group List Property",
    op: "$union",
    field: "values",
    operation: "group-union",
    description: "Merge values into group list properties without duplicates (`$union`).",
  },
  object("Property → list of values to merge.", { required: true, example: { regions: ["emea"] } }),
);

export const deleteGroup = defineAction({
  key: "delete-group",
  title: "Delete Group",
  description: "Delete a group profile (`$delete`).",
  family: "ingestion",
  method: "POST",
  path: "/groups",
  auth: ["none"],
  ingestion: true,
  idempotent: true,
  operations: ["ingestion#delete-group"],
  inputs: { group_key: groupCommon.group_key, group_id: groupCommon.group_id, token: tokenField, verbose },
  build: (input) => ({
    body: [
      { $token: input["token"], $group_key: input["group_key"], $group_id: input["group_id"], $delete: "" },
    ],
  }),
});

export const updateMultipleGroups = defineAction({
  key: "update-multiple-groups",
  title: "Batch Update Group Profiles",
  description:
    "Send up to 2000 group updates in one /groups request; each is `{ $group_key, $group_id, <op>: ... }`. `$token` is added when missing.",
  family: "ingestion",
  method: "POST",
  path: "/groups",
  auth: ["none"],
  ingestion: true,
  idempotent: true,
  operations: ["ingestion#group-batch-update"],
  inputs: {
    updates: array(object("One update."), "Group updates.", {
      required: true,
      example: [{ $group_key: "company_id", $group_id: "acme", $set: { plan: "pro" } }],
    }),
    token: tokenField,
    verbose,
    strict: groupCommon.strict,
  },
  build: (input) => ({
    body: (input["updates"] as Record<string, unknown>[]).map((update) => ({
      $token: input["token"],
      ...update,
    })),
  }),
});
