import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { decodeAndNormalizeImport, type ImportOptions, type ImportOutcome } from "./import-batch.js";
import type { ImportJobMessage, ImportJobReply } from "./protocol.js";

/** Bodies smaller than this are validated on the calling thread: a worker round trip costs more. */
const INLINE_BYTES = 64 * 1024;

interface Pending {
  resolve(outcome: ImportOutcome): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * Decodes and validates `/import` bodies on a pool of worker threads, so the main thread only reads
 * requests, checks de-duplication keys and hands packed batches to storage. On the reference 2-core
 * machine the main thread was the ingest bottleneck (JSON parsing, validation and per-value appends
 * all ran on it); see docs/benchmarks.md.
 *
 * Workers start on first use. A worker that dies fails only its in-flight jobs (their requests get a
 * 500; nothing was acknowledged) and is replaced on the next job. With `size` 0 every body is
 * validated in-thread.
 *
 * @example
 * ```ts
 * const normalizer = new ImportNormalizer(2);
 * const outcome = await normalizer.normalize(body, opts);
 * await normalizer.close();
 * ```
 */
export class ImportNormalizer {
  private readonly workers: (PoolWorker | undefined)[];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {
    this.workers = Array.from({ length: Math.max(0, size) }, () => undefined);
  }

  /** Decodes and validates one JSON or NDJSON body (already un-gzipped). */
  normalize(body: Buffer, opts: ImportOptions): Promise<ImportOutcome> {
    if (this.workers.length === 0 || body.byteLength < INLINE_BYTES || this.closed) {
      return Promise.resolve(decodeAndNormalizeImport(body, opts));
    }
    const w = this.pick();
    const id = this.nextId++;
    // Hand the bytes over without a copy when the buffer is ours alone (large bodies always are; a
    // small Buffer may share Node's pool, which must not be detached).
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    const message: ImportJobMessage = { id, body, opts };
    return new Promise<ImportOutcome>((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      w.worker.postMessage(message, owned ? [body.buffer as ArrayBuffer] : []);
    });
  }

  /** Stops the workers; jobs still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.workers.filter((w): w is PoolWorker => w !== undefined);
    this.workers.fill(undefined);
    await Promise.all(running.map((w) => w.worker.terminate()));
  }

  /** The live worker with the fewest jobs in flight, starting one where a slot is empty. */
  private pick(): PoolWorker {
    let best: PoolWorker | undefined;
    for (let i = 0; i < this.workers.length; i++) {
      const w = this.workers[i] ?? this.start(i);
      if (best === undefined || w.pending.size < best.pending.size) best = w;
    }
    return best as PoolWorker;
  }

  private start(slot: number): PoolWorker {
    const worker = spawnWorker();
    const pending = new Map<number, Pending>();
    const pw: PoolWorker = { worker, pending };
    this.workers[slot] = pw;
    // Idle workers must not keep the process alive; the server closes the pool on shutdown.
    worker.unref();
    worker.on("message", (reply: ImportJobReply) => {
      const job = pending.get(reply.id);
      if (job === undefined) return;
      pending.delete(reply.id);
      if ("outcome" in reply) job.resolve(reply.outcome);
      else job.reject(new Error(`ingest worker failed: ${reply.error}`));
    });
    const fail = (error: Error) => {
      if (this.workers[slot] === pw) this.workers[slot] = undefined;
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    };
    worker.on("error", (error) => fail(error));
    worker.on("exit", (code) => fail(new Error(`ingest worker exited with code ${code}`)));
    return pw;
  }
}

/**
 * The default pool size: one worker per core, at most four. The main thread only moves bytes and
 * checks keys, so on two cores two workers beat one (bench/ingest-export.ts: ~94k vs ~78k events/s).
 */
export function defaultIngestWorkers(cores: number): number {
  return Math.min(4, Math.max(1, cores));
}

function spawnWorker(): Worker {
  const here = import.meta.url;
  // Workers get a larger young generation than V8's default: each job allocates a body's worth of
  // short-lived objects, and scavenges were ~15% of ingest CPU with the default (perf, 2-core bench).
  const resourceLimits = { maxYoungGenerationSizeMb: 64 };
  if (!here.endsWith(".ts")) return new Worker(new URL("./worker.js", here), { resourceLimits });
  // Running from the TypeScript sources (tests, `tsx`): a worker thread does not inherit the tsx
  // loader, so the worker registers it before importing its module, and resolves workspace packages
  // through their "source" condition like its parent.
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const entry = new URL("./worker.ts", here).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, execArgv: ["--conditions=source"], resourceLimits });
}
