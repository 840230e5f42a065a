import { type NormalizedEvent, normalizeEvent } from "@mpkit/ingest";
import type { Context } from "hono";
import type { ServerContext } from "../context.js";
import { authenticateImport } from "../http/auth.js";
import { importError } from "../http/errors.js";
import { ingestReply } from "../http/ingest-reply.js";
import { flag } from "../http/params.js";
import { storeEvents } from "../write/store-events.js";
import { type FailedRecord, failedRecord, strictFailureBody } from "./failed-records.js";
import { apiHost, clientIp, readIngestPayload } from "./payload.js";

/**
 * `/import`: server-side and historical events (https://docs.mixpanel.com/reference/import-events).
 * JSON array, NDJSON or the SDKs' form `data=`; gzip allowed; at most 2000 records and 10 MB.
 * With `strict=1` any invalid record makes the answer a 400 listing `failed_records`, while the valid
 * records of the batch are still stored.
 */
export async function handleImport(c: Context, ctx: ServerContext): Promise<Response> {
  const payload = await readIngestPayload(c, ctx);
  const { params } = payload;
  const project = authenticateImport(c, ctx.tenants, params);
  if (!Array.isArray(payload.records)) throw importError(400, payload.records.error);
  const records = payload.records;
  if (records.length > ctx.limits.maxRecords) {
    throw importError(413, `request exceeds max limit of ${ctx.limits.maxRecords} records`);
  }
  const strict = flag(params.get("strict"));
  const ipParam = params.get("ip");
  const receivedAtMs = ctx.now();
  const host = apiHost(c);
  const ip = ipParam === "0" ? undefined : clientIp(c);
  const events: NormalizedEvent[] = [];
  const failed: FailedRecord[] = [];
  records.forEach((raw, index) => {
    const r = normalizeEvent(raw, {
      endpoint: "import",
      strict,
      identityMode: project.identityMode,
      receivedAtMs,
      apiHost: host,
      clientIp: ip,
    });
    if (r.kind === "ok") events.push(r.value);
    else if (r.kind === "reject") failed.push(failedRecord(index, raw, r.rejection));
  });
  await storeEvents(ctx.writer, project, events);
  if (payload.formEncoded) {
    // The SDKs' form-encoded /import (node's import_batch, Python) reads 1/0 or {"status","error"}.
    return ingestReply(params, events.length > 0 || failed.length === 0, failed[0]?.message ?? null);
  }
  if (strict && failed.length > 0) return c.json(strictFailureBody(failed, events.length), 400);
  return c.json({ code: 200, num_records_imported: events.length, status: "OK" });
}
