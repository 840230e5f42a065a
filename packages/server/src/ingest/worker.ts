/**
 * An ingest worker thread: decodes and validates `/import` bodies off the server's main thread and
 * sends back packed batches (see `ImportNormalizer`).
 */
import { parentPort } from "node:worker_threads";
import { decodeAndNormalizeImport } from "./import-batch.js";
import type { ImportJobMessage, ImportJobReply } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("the ingest worker runs only as a worker thread");
port.on("message", (job: ImportJobMessage) => {
  let reply: ImportJobReply;
  try {
    reply = { id: job.id, outcome: decodeAndNormalizeImport(job.body, job.opts) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  // The keys and the properties' bytes move to the main thread instead of being copied.
  const transfer =
    "outcome" in reply && reply.outcome.kind === "ok"
      ? [reply.outcome.batch.keys.buffer as ArrayBuffer, reply.outcome.batch.properties.buffer as ArrayBuffer]
      : [];
  port.postMessage(reply, transfer);
});
