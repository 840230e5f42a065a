import { type Endpoint, QueryError, type QueryResult } from "@mpkit/query";
import type { Context, Hono } from "hono";
import type { ServerContext } from "../../context.js";
import { authenticateRead, requestLine } from "../../http/auth.js";
import { readSmallBody } from "../../http/body.js";
import { ApiError, queryError } from "../../http/errors.js";
import { requestParams } from "../../http/params.js";

const TIMEOUT = Symbol("timeout");

/** Runs `work`, or settles with {@link TIMEOUT} after `ms` (when set). */
async function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T | typeof TIMEOUT> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function respond(c: Context, result: QueryResult): Response {
  if ("csv" in result) return c.body(result.csv, 200, { "content-type": "text/csv; charset=utf-8" });
  return c.json(result.json as object);
}

/**
 * Serves one Query API endpoint: parameters from the query string and any form body, read auth,
 * per-project rate limits, the time limit, and Mixpanel's `{"request", "error"}` on failure.
 */
export async function handleQuery(c: Context, ctx: ServerContext, endpoint: Endpoint): Promise<Response> {
  const url = new URL(c.req.url);
  const body = await readSmallBody(c.req.raw, ctx.limits.maxBodyBytes);
  const params = requestParams(url, body, c.req.header("content-type") ?? "");
  const project = authenticateRead(c, ctx.tenants, params, "consumer");
  const request = requestLine(c);
  const engine = ctx.queryEngine;
  const release = ctx.queryLimiter.acquire(project.id, request, ctx.now());
  const work = engine.run(endpoint, { id: project.id, timezone: project.timezone }, params, ctx.now());
  // The query keeps its slot until it really ends, even when the client was already told it timed out.
  work.then(release, release);
  try {
    const result = await withTimeout(work, ctx.limits.query?.timeoutMs);
    if (result === TIMEOUT) throw queryError(400, request, "Timeout Error.");
    return respond(c, result);
  } catch (error) {
    if (error instanceof QueryError) throw queryError(error.status, request, error.message);
    if (error instanceof ApiError) throw error;
    throw error;
  }
}

const PREFIXES = ["/api/2.0/", "/api/query/"];

/** Mounts endpoints under both prefixes, for GET and POST (mixpanel-read-side.md 8.1). */
export function mount(app: Hono, ctx: ServerContext, endpoints: readonly Endpoint[]): void {
  for (const endpoint of endpoints) {
    for (const prefix of PREFIXES) {
      app.on(["GET", "POST"], prefix + endpoint, (c) => handleQuery(c, ctx, endpoint));
    }
  }
}
