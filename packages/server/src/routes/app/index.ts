import { QueryError, type ReportKind, type SavedReport, validateReport } from "@mpkit/query";
import type { Context, Hono } from "hono";
import type { Role } from "../../config/schema.js";
import type { ServerContext } from "../../context.js";
import { authenticateRead, requestLine } from "../../http/auth.js";
import { readSmallBody } from "../../http/body.js";
import { queryError } from "../../http/errors.js";
import type { RequestParams } from "../../http/params.js";

/** URL segment → report kind. `bookmarks` is Mixpanel's App API name for saved Insights reports. */
const KINDS: Record<string, ReportKind> = { funnels: "funnel", cohorts: "cohort", bookmarks: "insight" };

/** The App API's representation of a saved report: `{id, name, ...definition, created, modified}`. */
export function reportJson(r: SavedReport): Record<string, unknown> {
  return {
    id: r.id,
    project_id: r.projectId,
    type: r.kind,
    ...r.definition,
    created: new Date(r.createdMs).toISOString(),
    modified: new Date(r.updatedMs).toISOString(),
  };
}

async function authenticate(c: Context, ctx: ServerContext, minRole: Role) {
  const projectId = c.req.param("projectId") ?? "";
  const params: RequestParams = { get: (n) => (n === "project_id" ? projectId : undefined) };
  return authenticateRead(c, ctx.tenants, params, minRole);
}

async function readBody(c: Context, ctx: ServerContext): Promise<unknown> {
  const text = await readSmallBody(c.req.raw, ctx.limits.maxBodyBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw queryError(400, requestLine(c), "the body must be JSON");
  }
}

function reportId(c: Context): number {
  const id = Number(c.req.param("id"));
  if (!Number.isInteger(id) || id < 1)
    throw queryError(400, requestLine(c), "the report id must be a positive integer");
  return id;
}

/** Maps validation errors to Mixpanel's App API error body `{"status": "error", "error": ...}`. */
async function guard(c: Context, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryError)
      return c.json({ status: "error", error: error.message }, error.status as 400);
    throw error;
  }
}

/**
 * The App API for saved reports, under `/api/app/projects/{projectId}/{funnels|cohorts|bookmarks}`:
 * list (GET), create (POST), read (GET `/{id}`), replace (PUT or PATCH `/{id}`), delete (DELETE `/{id}`).
 * Answers follow Mixpanel's App API envelope `{"status": "ok", "results": ...}`. Reading needs a
 * consumer role, changing needs analyst or above.
 */
export function registerAppRoutes(app: Hono, ctx: ServerContext): void {
  const engine = ctx.queryEngine;
  for (const [segment, kind] of Object.entries(KINDS)) {
    const base = `/api/app/projects/:projectId/${segment}`;
    app.get(base, async (c) => {
      const project = await authenticate(c, ctx, "consumer");
      const reports = await engine.reports.list(project.id, kind);
      return c.json({ status: "ok", results: reports.map(reportJson) });
    });
    app.post(base, async (c) => {
      const project = await authenticate(c, ctx, "analyst");
      const body = await readBody(c, ctx);
      return guard(c, async () => {
        const saved = await engine.reports.create(project.id, kind, validateReport(kind, body), ctx.now());
        return c.json({ status: "ok", results: reportJson(saved) });
      });
    });
    app.get(`${base}/:id`, async (c) => {
      const project = await authenticate(c, ctx, "consumer");
      const saved = await engine.reports.get(project.id, kind, reportId(c));
      if (saved === undefined) return c.json({ status: "error", error: `no such ${kind}` }, 404);
      return c.json({ status: "ok", results: reportJson(saved) });
    });
    const replace = async (c: Context) => {
      const project = await authenticate(c, ctx, "analyst");
      const id = reportId(c);
      const body = await readBody(c, ctx);
      return guard(c, async () => {
        const saved = await engine.reports.update(
          project.id,
          kind,
          id,
          validateReport(kind, body),
          ctx.now(),
        );
        if (saved === undefined) return c.json({ status: "error", error: `no such ${kind}` }, 404);
        return c.json({ status: "ok", results: reportJson(saved) });
      });
    };
    app.put(`${base}/:id`, replace);
    app.patch(`${base}/:id`, replace);
    app.delete(`${base}/:id`, async (c) => {
      const project = await authenticate(c, ctx, "analyst");
      const deleted = await engine.reports.delete(project.id, kind, reportId(c));
      if (!deleted) return c.json({ status: "error", error: `no such ${kind}` }, 404);
      return c.json({ status: "ok" });
    });
  }
}
