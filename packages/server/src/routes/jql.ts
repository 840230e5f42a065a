import { JqlError, runJqlToJson, toMixpanelErrorBody } from "@mpkit/jql";
import type { Context, Hono } from "hono";
import type { ServerContext } from "../context.js";
import { authenticateRead, requestLine } from "../http/auth.js";
import { readBody } from "../http/body.js";
import { queryError } from "../http/errors.js";
import { requestParams } from "../http/params.js";
import { JqlSlots, type ResolvedJqlServerLimits, resolveJqlServerLimits } from "../jql/limits.js";
import { createStorageJqlSource, JqlSelectorError } from "../jql/storage-source.js";

/**
 * JQL reads raw events and profiles, like raw export: the same minimum role as export
 * (`analyst`). Mixpanel's consumer role is for viewing reports, not for pulling raw data.
 */
const JQL_MIN_ROLE = "analyst";

/**
 * Registers `POST /api/query/jql` and its legacy path `/api/2.0/jql` (reference section 5.1):
 * form fields `script` and `params`, service-account (or project secret) auth with `project_id`.
 * GET with the same query parameters is accepted too (small scripts from curl).
 *
 * @example
 * ```ts
 * registerJqlRoutes(app, ctx);
 * // curl -u sa:secret "$URL/api/query/jql?project_id=1" --data-urlencode script@query.js
 * ```
 */
export function registerJqlRoutes(app: Hono, ctx: ServerContext): void {
  const limits = resolveJqlServerLimits(ctx.limits.jql);
  const slots = new JqlSlots(limits);
  const handler = (c: Context) => handleJql(c, ctx, limits, slots);
  app.on(["GET", "POST"], "/api/query/jql", handler);
  app.on(["GET", "POST"], "/api/2.0/jql", handler);
}

async function handleJql(
  c: Context,
  ctx: ServerContext,
  limits: ResolvedJqlServerLimits,
  slots: JqlSlots,
): Promise<Response> {
  const url = new URL(c.req.url);
  const body =
    c.req.method === "POST"
      ? (await readBody(c.req.raw, ctx.limits.maxBodyBytes, ctx.limits.maxBodyBytes)).toString("utf8")
      : "";
  const params = requestParams(url, body, c.req.header("content-type") ?? "");
  const project = authenticateRead(c, ctx.tenants, params, JQL_MIN_ROLE);
  const request = requestLine(c);

  // The project's query quota (shared with the Query API, off unless configured), then a sandbox slot.
  const releaseQuota = ctx.queryLimiter.acquire(project.id, request, ctx.now());
  const release = slots.tryAcquire(project.id);
  if (release === undefined) {
    // The shape of Mixpanel's real 429 body (reference section 7, "Real 429 bodies").
    releaseQuota();
    throw queryError(
      429,
      request,
      `Query rate limit exceeded for project_id: ${project.id}. ${slots.running(project.id)}/${limits.maxConcurrentPerProject} queries running concurrently.`,
    );
  }
  try {
    const json = await runJqlToJson({
      script: params.get("script") ?? "",
      params: params.get("params"),
      // The source is bound to this project: the sandbox cannot name another one.
      source: createStorageJqlSource({
        storage: ctx.storage,
        projectId: project.id,
        timezone: project.timezone,
      }),
      limits,
      timezone: project.timezone,
      // The client went away: stop the sandbox and the storage reads.
      signal: c.req.raw.signal,
    });
    return c.body(json, 200, { "content-type": "application/json" });
  } catch (error) {
    // The client hung up: the sandbox is already stopped and nobody reads an answer.
    if (c.req.raw.signal.aborted && !(error instanceof JqlError)) return c.body(null, 499 as 400);
    if (error instanceof JqlError)
      return c.json(toMixpanelErrorBody(error, request), error.httpStatus as 400 | 412 | 500);
    if (error instanceof JqlSelectorError) throw queryError(400, request, error.message);
    throw error;
  } finally {
    release();
    releaseQuota();
  }
}
