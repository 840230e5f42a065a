import { defineAction } from "./define.js";
import { oneOf, projectIdQuery, string, tokenField } from "./fields.js";

// Identity (identity.openapi.yaml). $identify and $create_alias only matter in projects on the
// Original ID Merge system; Simplified ID Merge ignores them (docs: tracking-methods/id-management).

const verbose = oneOf([0, 1], "1 makes Mixpanel answer `{status, error}` so rejections are reported.", {
  in: "query",
  default: 1,
});

export const createIdentity = defineAction({
  key: "create-identity",
  title: "Create Identity",
  description: "Link an anonymous id to a known user id with an `$identify` event (Original ID Merge).",
  family: "ingestion",
  method: "POST",
  path: "/track",
  auth: ["none"],
  body: "form",
  ingestion: true,
  idempotent: true,
  operations: ["identity#create-identity"],
  inputs: {
    identified_id: string("The known user id (`$identified_id`).", { required: true, example: "user-1" }),
    anon_id: string("The anonymous id to merge (`$anon_id`; a UUID v4 in Original ID Merge).", {
      required: true,
      example: "3f0c3a4e-1b2c-4d5e-8f90-123456789abc",
    }),
    token: tokenField,
    verbose,
  },
  build: (input) => ({
    body: {
      data: {
        event: "$identify",
        properties: {
          $identified_id: input["identified_id"],
          $anon_id: input["anon_id"],
          token: input["token"],
        },
      },
    },
  }),
});

export const createAlias = defineAction({
  key: "create-alias",
  title: "Create Alias",
  description:
    "Add an alias to an existing distinct_id with a `$create_alias` event (Original ID Merge); an alias maps to one id only.",
  family: "ingestion",
  method: "POST",
  path: "/track",
  auth: ["none"],
  body: "form",
  ingestion: true,
  idempotent: true,
  operations: ["identity#identity-create-alias"],
  inputs: {
    distinct_id: string("The existing distinct_id.", { required: true, example: "user-1" }),
    alias: string("The new id that should resolve to `distinct_id`.", {
      required: true,
      example: "ada@example.com",
    }),
    token: tokenField,
    verbose,
  },
  build: (input) => ({
    body: {
      data: {
        event: "$create_alias",
        properties: { distinct_id: input["distinct_id"], alias: input["alias"], token: input["token"] },
      },
    },
  }),
});

export const mergeIdentities = defineAction({
  key: "merge-identities",
  title: "Merge Identities",
  description:
    "Merge two distinct_ids irreversibly with a `$merge` event sent to /import (Original ID Merge; clusters are capped at 500 ids).",
  family: "ingestion",
  method: "POST",
  path: "/import",
  auth: ["serviceAccount", "projectSecret", "oauth"],
  ingestion: true,
  idempotent: true,
  operations: ["identity#identity-merge"],
  inputs: {
    distinct_id_1: string("First distinct_id.", { required: true, example: "user-1" }),
    distinct_id_2: string("Second distinct_id.", {
      required: true,
      example: "3f0c3a4e-1b2c-4d5e-8f90-123456789abc",
    }),
    strict: oneOf([0, 1], "1 validates and reports failures per record.", { in: "query", default: 1 }),
    project_id: projectIdQuery,
  },
  build: (input) => ({
    body: [
      { event: "$merge", properties: { $distinct_ids: [input["distinct_id_1"], input["distinct_id_2"]] } },
    ],
  }),
});
