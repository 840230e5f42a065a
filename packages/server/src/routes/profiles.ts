import { normalizeProfileUpdate, type ProfileUpdate } from "@mpkit/ingest";
import type { Context } from "hono";
import type { Project } from "../config/tenants.js";
import type { ServerContext } from "../context.js";
import { ingestReply } from "../http/ingest-reply.js";
import { flag } from "../http/params.js";
import { storeProfileUpdates } from "../write/store-profiles.js";
import { type FailedRecord, failedRecord, strictFailureBody } from "./failed-records.js";
import { readIngestPayload } from "./payload.js";

/**
 * `/engage` (user profiles) and `/groups` (group profiles): batches of `$set`, `$set_once`, `$add`,
 * `$append`, `$union`, `$remove`, `$unset` and `$delete` records authenticated by `$token`. Answers
 * like `/track`: HTTP 200 with `1`/`0` or the verbose JSON, even when validation fails.
 */
export async function handleProfiles(
  c: Context,
  ctx: ServerContext,
  kind: "user" | "group",
): Promise<Response> {
  const payload = await readIngestPayload(c, ctx);
  const { params } = payload;
  if (!Array.isArray(payload.records)) return ingestReply(params, false, payload.records.error);
  const records = payload.records;
  if (records.length > ctx.limits.maxRecords) {
    return ingestReply(params, false, `too many updates: at most ${ctx.limits.maxRecords} per request`);
  }
  const byProject = new Map<Project, ProfileUpdate[]>();
  const failed: FailedRecord[] = [];
  records.forEach((raw, index) => {
    const r = normalizeProfileUpdate(raw, kind);
    if (r.kind !== "ok") {
      if (r.kind === "reject") failed.push(failedRecord(index, raw, r.rejection));
      return;
    }
    const { token, update } = r.value;
    const project = token === undefined ? undefined : ctx.tenants.projectByToken(token);
    if (project === undefined) {
      const message = token === undefined || token === "" ? "$token, missing or empty" : "$token, invalid";
      failed.push(failedRecord(index, raw, { field: "$token", message }));
      return;
    }
    const list = byProject.get(project) ?? [];
    list.push(update);
    byProject.set(project, list);
  });
  let stored = 0;
  for (const [project, updates] of byProject) {
    await storeProfileUpdates(ctx.writer, project, updates, ctx.now());
    stored += updates.length;
  }
  if (flag(params.get("strict")) && failed.length > 0) return c.json(strictFailureBody(failed, stored), 400);
  const accepted = stored > 0 || (failed.length === 0 && records.length > 0);
  return ingestReply(params, accepted, accepted ? null : (failed[0]?.message ?? "no updates in request"));
}
