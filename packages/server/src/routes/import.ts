import type { Context } from "hono";
import type { ServerContext } from "../context.js";
import { authenticateImport } from "../http/auth.js";
import { importError } from "../http/errors.js";
import { ingestReply } from "../http/ingest-reply.js";
import { flag } from "../http/params.js";
import { type ImportOptions, type ImportOutcome, normalizeImport } from "../ingest/import-batch.js";
import { storeEventBatch } from "../write/store-events.js";
import { strictFailureBody } from "./failed-records.js";
import { apiHost, clientIp, decodeIngestRecords, readIngestRequest } from "./payload.js";

/**
 * `/import`: server-side and historical events (https://docs.mixpanel.com/reference/import-events).
 * JSON array, NDJSON or the SDKs' form `data=`; gzip allowed; at most 2000 records and 10 MB.
 * With `strict=1` any invalid record makes the answer a 400 listing `failed_records`, while the valid
 * records of the batch are still stored.
 */
export async function handleImport(c: Context, ctx: ServerContext): Promise<Response> {
  const request = await readIngestRequest(c, ctx);
  const { params } = request;
  // Authenticate before spending any work on the body.
  const project = authenticateImport(c, ctx.tenants, params);
  const ipParam = params.get("ip");
  const opts: ImportOptions = {
    strict: flag(params.get("strict")),
    identityMode: project.identityMode,
    receivedAtMs: ctx.now(),
    apiHost: apiHost(c),
    clientIp: ipParam === "0" ? undefined : clientIp(c),
    maxRecords: ctx.limits.maxRecords,
  };
  let outcome: ImportOutcome;
  let formEncoded = false;
  if (request.jsonBytes !== undefined && params.get("data") === undefined) {
    // JSON / NDJSON bodies (the bulk path) are decoded and validated on the ingest workers.
    outcome = await ctx.importNormalizer.normalize(request.jsonBytes, opts);
  } else {
    const payload = decodeIngestRecords(request);
    formEncoded = payload.formEncoded;
    outcome = Array.isArray(payload.records)
      ? normalizeImport(payload.records, opts)
      : { kind: "undecodable", error: payload.records.error };
  }
  if (outcome.kind === "undecodable") throw importError(400, outcome.error);
  if (outcome.kind === "too-many") {
    throw importError(413, `request exceeds max limit of ${ctx.limits.maxRecords} records`);
  }
  const { batch, failed } = outcome;
  await storeEventBatch(ctx.writer, project, batch, outcome.identity);
  if (formEncoded) {
    // The SDKs' form-encoded /import (node's import_batch, Python) reads 1/0 or {"status","error"}.
    return ingestReply(params, batch.count > 0 || failed.length === 0, failed[0]?.message ?? null);
  }
  if (opts.strict && failed.length > 0) return c.json(strictFailureBody(failed, batch.count), 400);
  return c.json({ code: 200, num_records_imported: batch.count, status: "OK" });
}
