import { defineAction } from "./define.js";
import { array, oneOf, string, tokenField } from "./fields.js";

// GDPR/CCPA v3 (gdpr.openapi.yaml): OAuth bearer token plus the project token as `?token=`.
// Limited to 1 request per second (docs: reference/gdpr-api).

const base = { family: "query", auth: ["oauth"] } as const;
const token = { ...tokenField, in: "query" } as const;
const trackingId = string("Tracking id returned when the task was created.", {
  required: true,
  example: "1583958896",
});
const distinctIds = array(string("A distinct_id."), "Users concerned (at most 2000).", {
  required: true,
  example: ["user-1"],
});
const complianceType = oneOf(["GDPR", "CCPA"], "Regulation (Mixpanel default GDPR).");

export const createRetrieval = defineAction({
  ...base,
  key: "create-gdpr-retrieval",
  title: "Create a Retrieval",
  description: "Start a GDPR/CCPA data retrieval for users; poll with Check Status of Retrieval.",
  method: "POST",
  path: "/api/app/data-retrievals/v3.0",
  operations: ["gdpr#create-retrieval"],
  inputs: {
    token,
    distinct_ids: distinctIds,
    compliance_type: complianceType,
    disclosure_type: oneOf(["Data", "Categories", "Sources"], "CCPA only (Mixpanel default Data)."),
  },
});

export const getRetrieval = defineAction({
  ...base,
  key: "get-gdpr-retrieval",
  title: "Check Status of Retrieval",
  description: "Status of a retrieval; when done, a link to the data.",
  method: "GET",
  path: "/api/app/data-retrievals/v3.0/{tracking_id}",
  operations: ["gdpr#get-retrieval"],
  inputs: { tracking_id: trackingId, token },
});

export const createDeletion = defineAction({
  ...base,
  key: "create-gdpr-deletion",
  title: "Create a Deletion",
  description: "Delete users' events and profiles (may take up to 30 days; cancellable until it starts).",
  method: "POST",
  path: "/api/app/data-deletions/v3.0",
  operations: ["gdpr#create-deletion"],
  inputs: { token, distinct_ids: distinctIds, compliance_type: complianceType },
});

export const getDeletion = defineAction({
  ...base,
  key: "get-gdpr-deletion",
  title: "Check Status of Deletion",
  description: "Status of a deletion task.",
  method: "GET",
  path: "/api/app/data-deletions/v3.0/{tracking_id}",
  operations: ["gdpr#get-deletion"],
  inputs: { tracking_id: trackingId, token },
});

export const cancelDeletion = defineAction({
  ...base,
  key: "cancel-gdpr-deletion",
  title: "Cancel a Deletion",
  description: "Cancel a deletion that has not started (405 once it has).",
  method: "DELETE",
  path: "/api/app/data-deletions/v3.0/{tracking_id}",
  operations: ["gdpr#delete-deletion"],
  inputs: { tracking_id: trackingId, token },
});
