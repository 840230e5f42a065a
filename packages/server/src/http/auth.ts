import type { Context } from "hono";
import type { Role } from "../config/schema.js";
import {
  type Principal,
  type Project,
  parseBasicAuth,
  roleAtLeast,
  type Tenants,
} from "../config/tenants.js";
import { type ApiError, importError, queryError } from "./errors.js";
import type { RequestParams } from "./params.js";

type ErrorFactory = (status: number, message: string) => ApiError;

function resolveProject(
  tenants: Tenants,
  principal: Principal,
  projectIdParam: string | undefined,
  minRole: Role,
  fail: ErrorFactory,
): Project {
  if (principal.kind !== "service-account") {
    if (projectIdParam !== undefined && projectIdParam !== String(principal.project.id)) {
      throw fail(403, `credentials do not belong to project_id ${projectIdParam}`);
    }
    return principal.project;
  }
  if (projectIdParam === undefined || projectIdParam === "") {
    throw fail(400, "project_id is required when authenticating with a service account");
  }
  const id = Number(projectIdParam);
  const project = Number.isInteger(id) ? tenants.projectById(id) : undefined;
  const role = project === undefined ? undefined : principal.account.projects.get(project.id);
  if (project === undefined || role === undefined) {
    throw fail(
      403,
      `service account ${principal.account.username} is not a member of project ${projectIdParam}`,
    );
  }
  if (!roleAtLeast(role, minRole)) {
    throw fail(
      403,
      `the ${role} role on project ${project.id} does not allow this request (needs ${minRole} or above)`,
    );
  }
  return project;
}

/**
 * Authenticates `/import`: a service account with `project_id` (admin or owner role, as Mixpanel's
 * integration guides require), the project secret, or the project token as Basic user name.
 */
export function authenticateImport(c: Context, tenants: Tenants, params: RequestParams): Project {
  const creds = parseBasicAuth(c.req.header("authorization"));
  if (creds === undefined) throw importError(401, "Unable to authenticate request: send Basic credentials");
  const principal = tenants.authenticate(creds);
  if (principal === undefined) throw importError(401, "Invalid credentials");
  return resolveProject(tenants, principal, params.get("project_id"), "admin", importError);
}

/**
 * Authenticates a read (export, query, JQL): a service account with `project_id` and at least
 * `minRole`, or the project secret. A project token never reads: it ships inside client apps.
 */
export function authenticateRead(
  c: Context,
  tenants: Tenants,
  params: RequestParams,
  minRole: Role,
): Project {
  const request = requestLine(c);
  const fail: ErrorFactory = (status, message) => queryError(status, request, message);
  const creds = parseBasicAuth(c.req.header("authorization"));
  if (creds === undefined) throw fail(401, "Unable to authenticate request: send Basic credentials");
  const principal = tenants.authenticate(creds);
  if (principal === undefined) throw fail(401, "Invalid credentials");
  if (principal.kind === "token") {
    throw fail(401, "a project token cannot read data: use a service account or the project secret");
  }
  return resolveProject(tenants, principal, params.get("project_id"), minRole, fail);
}

/** The path and query as called, echoed in the `request` field of query-side errors. */
export function requestLine(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}
