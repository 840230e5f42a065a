import { type NormalizedEvent, normalizeEvent } from "@mpkit/ingest";
import type { Context } from "hono";
import type { Project } from "../config/tenants.js";
import type { ServerContext } from "../context.js";
import { ingestReply } from "../http/ingest-reply.js";
import { flag } from "../http/params.js";
import { storeEvents } from "../write/store-events.js";
import { type FailedRecord, failedRecord, strictFailureBody } from "./failed-records.js";
import { apiHost, clientIp, readIngestPayload } from "./payload.js";

/**
 * `/track` (and `/track/`): events from client SDKs, authenticated by the project token inside each
 * event. Answers `1`/`0` (or the verbose, JSONP, pixel forms) with HTTP 200, as Mixpanel does;
 * `strict=1` answers like `/import` does.
 */
export async function handleTrack(c: Context, ctx: ServerContext): Promise<Response> {
  const payload = await readIngestPayload(c, ctx);
  const { params } = payload;
  if (!Array.isArray(payload.records)) return ingestReply(params, false, payload.records.error);
  const records = payload.records;
  if (records.length > ctx.limits.maxRecords) {
    return ingestReply(params, false, `too many events: at most ${ctx.limits.maxRecords} per request`);
  }
  const strict = flag(params.get("strict"));
  // ip=1 asks Mixpanel to use the request's IP (for geolocation, and a distinct_id when none is sent).
  const ip = params.get("ip") === "1" ? clientIp(c) : undefined;
  const receivedAtMs = ctx.now();
  const host = apiHost(c);
  const byProject = new Map<Project, NormalizedEvent[]>();
  const failed: FailedRecord[] = [];
  records.forEach((raw, index) => {
    const token = (raw as { properties?: { token?: unknown } } | null)?.properties?.token;
    const project = typeof token === "string" ? ctx.tenants.projectByToken(token) : undefined;
    if (project === undefined) {
      const message =
        typeof token === "string" && token !== "" ? "token, invalid" : "token, missing or empty";
      failed.push(failedRecord(index, raw, { field: "properties.token", message }));
      return;
    }
    const r = normalizeEvent(raw, {
      endpoint: "track",
      strict,
      identityMode: project.identityMode,
      receivedAtMs,
      apiHost: host,
      clientIp: ip,
    });
    if (r.kind === "reject") failed.push(failedRecord(index, raw, r.rejection));
    else if (r.kind === "ok") {
      const list = byProject.get(project) ?? [];
      list.push(r.value);
      byProject.set(project, list);
    }
  });
  let stored = 0;
  for (const [project, events] of byProject) {
    await storeEvents(ctx.writer, project, events);
    stored += events.length;
  }
  if (strict && failed.length > 0) return c.json(strictFailureBody(failed, stored), 400);
  // Mixpanel answers 1 when at least one record in the body was valid.
  const accepted = stored > 0 || (failed.length === 0 && records.length > 0);
  return ingestReply(params, accepted, accepted ? null : (failed[0]?.message ?? "no events in request"));
}
