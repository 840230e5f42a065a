import { defineAction } from "./define.js";
import { array, integer, object, oneOf, projectIdPath, string } from "./fields.js";

// Service accounts and their project membership (service-accounts.openapi.yaml). Organisation-level
// calls need an organisation owner or admin.

const base = { family: "query", auth: ["serviceAccount"] } as const;
const organizationId = integer("Organization id.", { required: true, example: 1234 });
const serviceAccountId = integer("Service account id.", { required: true, example: 5678 });
const root = "/api/app/organizations/{organization_id}/service-accounts";

export const listServiceAccounts = defineAction({
  ...base,
  key: "list-service-accounts",
  title: "List Service Accounts",
  description: "List the organization's service accounts.",
  method: "GET",
  path: root,
  operations: ["service-accounts#list-service-accounts"],
  inputs: { organization_id: organizationId },
});

export const createServiceAccount = defineAction({
  ...base,
  key: "create-service-account",
  title: "Create Service Account",
  description: "Create a service account; the answer holds its secret, shown only once.",
  method: "POST",
  path: root,
  operations: ["service-accounts#create-service-account"],
  inputs: {
    organization_id: organizationId,
    username: string("Descriptive name.", { required: true, example: "etl-bot" }),
    role: oneOf(["owner", "admin", "analyst", "consumer"], "Organization role."),
    expires: string("Expiry date-time (ISO 8601).", { format: "datetime" }),
    projects: array(object("`{ id, role }`."), "Projects to add it to."),
  },
});

export const getServiceAccount = defineAction({
  ...base,
  key: "get-service-account",
  title: "Get Service Account",
  description: "Get one service account.",
  method: "GET",
  path: `${root}/{service_account_id}`,
  operations: ["service-accounts#get-service-account"],
  inputs: { organization_id: organizationId, service_account_id: serviceAccountId },
});

export const deleteServiceAccount = defineAction({
  ...base,
  key: "delete-service-account",
  title: "Delete Service Account",
  description: "Delete a service account; its credentials stop working at once.",
  method: "DELETE",
  path: `${root}/{service_account_id}`,
  operations: ["service-accounts#delete-service-account"],
  inputs: { organization_id: organizationId, service_account_id: serviceAccountId },
});

export const listProjectServiceAccounts = defineAction({
  ...base,
  key: "list-project-service-accounts",
  title: "List Service Accounts For Project",
  description: "List the service accounts that are members of a project, with their roles.",
  method: "GET",
  path: "/api/app/projects/{project_id}/service-accounts",
  operations: ["service-accounts#list-project-service-accounts"],
  inputs: { project_id: projectIdPath },
});

export const addServiceAccountsToProjects = defineAction({
  ...base,
  key: "add-service-accounts-to-projects",
  title: "Add Service Accounts To Projects",
  description: "Give service accounts a role in projects.",
  method: "POST",
  path: `${root}/add-to-project`,
  idempotent: true,
  operations: ["service-accounts#add-service-accounts-to-projects"],
  inputs: {
    organization_id: organizationId,
    projects: array(object("`{ id, role }`."), "Projects and roles.", {
      required: true,
      example: [{ id: 12345, role: "analyst" }],
    }),
    service_account_ids: array(integer("Service account id."), "Accounts to add.", {
      required: true,
      example: [5678],
    }),
  },
});

export const removeServiceAccountsFromProjects = defineAction({
  ...base,
  key: "remove-service-accounts-from-projects",
  title: "Remove Service Accounts From Projects",
  description: "Remove service accounts from projects.",
  method: "POST",
  path: `${root}/remove-from-project`,
  idempotent: true,
  operations: ["service-accounts#remove-service-accounts-from-projects"],
  inputs: {
    organization_id: organizationId,
    projects: array(object("`{ id, service_account_ids: [...] }`."), "Projects and the accounts to remove.", {
      required: true,
      example: [{ id: 12345, service_account_ids: [5678] }],
    }),
  },
});
