import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
} from "@duckdb/node-api";
import { type Sql, sql } from "@mpkit/sql";
import type { EventColumns, ExportQuery, ExportRow, StorageAdapter, WriteTransaction } from "@mpkit/storage";
import { KeySet } from "./key-set.js";
import { prepare } from "./params.js";
import { schemaStatements } from "./schema.js";
import { DuckDbWriteTransaction, type WriterStatements } from "./transaction.js";

/** Options for {@link DuckDbStorage.open}. */
export interface DuckDbStorageOptions {
  /**
   * Database file, or `:memory:`.
   * @default ":memory:"
   */
  readonly path?: string;
  /** WAL size that triggers a checkpoint. @default "256MB" */
  readonly checkpointThreshold?: string;
  /** DuckDB threads; defaults to DuckDB's own choice (the number of cores). */
  readonly threads?: number;
  /** Bytes of JSONL that raw export aims to read per slice (see `exportLines`). @default 16 MiB */
  readonly exportSliceBytes?: number;
}

/** Raw export's slices, in rows: the first is small, later ones are sized from what earlier ones weighed. */
const EXPORT_FIRST_ROWS = 1_024;
const EXPORT_MAX_ROWS = 16_384;

/** The columns of an event row in this adapter's export query, for filter compilers. */
const exportColumns: EventColumns = {
  event: sql.raw("e.event"),
  timeMs: sql.raw("e.time_ms"),
  distinctId: sql.raw("COALESCE(i.canonical_id, e.distinct_id)"),
  properties: sql.raw("e.properties"),
};

/**
 * Embedded DuckDB storage. One process owns the database file (DuckDB allows a single read-write
 * process); the server is that process, and reads run on their own connections against committed
 * snapshots while the writer appends.
 *
 * @example
 * ```ts
 * const storage = await DuckDbStorage.open({ path: ".mpkit/mpkit.duckdb" });
 * await storage.migrate();
 * ```
 */
export class DuckDbStorage implements StorageAdapter {
  readonly engine = "duckdb";
  private queue: Promise<unknown> = Promise.resolve();
  private readonly keys = new KeySet();
  private closed = false;
  private readonly prepared = new Map<string, Promise<DuckDBPreparedStatement>>();
  /** Statements prepared once on the writer connection (parsing and planning them cost ~0.3 ms each). */
  private readonly statements: WriterStatements = {
    get: (text) => {
      let statement = this.prepared.get(text);
      if (statement === undefined) {
        statement = this.writer.prepare(text);
        this.prepared.set(text, statement);
        // A failed prepare is not kept: the next call tries again.
        statement.catch(() => this.prepared.delete(text));
      }
      return statement;
    },
  };

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly exportSliceBytes: number,
  ) {}

  /** Opens (creating if needed) a database. */
  static async open(options: DuckDbStorageOptions = {}): Promise<DuckDbStorage> {
    const path = options.path ?? ":memory:";
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    // DuckDB checkpoints when the WAL passes 16 MB by default; during sustained ingestion that halves
    // commit throughput (measured: 57 vs 112 ms per 16k-row commit). A larger WAL costs only replay time
    // after a crash; a clean shutdown checkpoints (see close()).
    const config: Record<string, string> = { checkpoint_threshold: options.checkpointThreshold ?? "256MB" };
    if (options.threads !== undefined) config["threads"] = String(options.threads);
    const instance = await DuckDBInstance.create(path, config);
    const writer = await instance.connect();
    return new DuckDbStorage(instance, writer, options.exportSliceBytes ?? 16 * 1024 * 1024);
  }

  async migrate(): Promise<void> {
    for (const statement of schemaStatements) await this.writer.run(statement);
    if (this.keys.size === 0) {
      const result = await this.writer.stream("SELECT dedupe_key FROM events");
      for await (const rows of result.yieldRows()) for (const [key] of rows) this.keys.add(key as bigint);
    }
  }

  transaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    // One writer connection, one transaction at a time: callers (the server's group-commit writer)
    // batch many requests into each transaction.
    const run = async (): Promise<T> => {
      if (this.closed) throw new Error("storage is closed");
      await this.writer.run("BEGIN TRANSACTION");
      const tx = new DuckDbWriteTransaction(this.writer, this.keys, this.statements);
      try {
        const result = await work(tx);
        await this.writer.run("COMMIT");
        return result;
      } catch (error) {
        tx.rollback();
        await this.writer.run("ROLLBACK").catch(() => undefined);
        throw error;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private exportStatement(
    query: ExportQuery,
    select: Sql,
    where?: (columns: EventColumns) => Sql,
    slice?: Sql,
  ): Sql {
    const filters = [
      sql`e.project_id = ${query.projectId}`,
      sql`e.time_ms >= ${query.fromMs}`,
      sql`e.time_ms < ${query.toMs}`,
    ];
    if (query.events !== undefined) {
      filters.push(
        query.events.length === 0
          ? sql`FALSE`
          : sql`e.event IN (${sql.join(query.events.map((n) => sql`${n}`))})`,
      );
    }
    if (where !== undefined) filters.push(sql`(${where(exportColumns)})`);
    if (slice !== undefined) filters.push(slice);
    const limit = query.limit === undefined ? sql.empty : sql`LIMIT ${query.limit}`;
    return sql`SELECT ${select}
      FROM events e LEFT JOIN identities i ON i.project_id = e.project_id AND i.distinct_id = e.distinct_id
      WHERE ${sql.join(filters, " AND ")} ${limit}`;
  }

  async *exportEvents(
    query: ExportQuery,
    where?: (columns: EventColumns) => Sql,
  ): AsyncIterable<ExportRow[]> {
    const select = sql`e.event, e.time_ms::DOUBLE AS time_ms, ${exportColumns.distinctId} AS distinct_id,
        e.properties::VARCHAR AS properties`;
    for await (const rows of this.streamRows(this.exportStatement(query, select, where))) {
      yield rows.map((r) => ({
        event: r[0] as string,
        timeMs: r[1] as number,
        distinctId: r[2] as string,
        propertiesJson: r[3] as string,
      }));
    }
  }

  async *exportLines(
    query: ExportQuery,
    where?: (columns: EventColumns) => Sql,
    options: { readonly timeInMs?: boolean } = {},
  ): AsyncIterable<Uint8Array> {
    // Lines are assembled in SQL, and joined in SQL too, one slice of the table at a time: a row-by-row
    // read pays a native call and a Buffer per line on the JavaScript thread, which capped export at
    // ~270k lines/s; a slice crosses as one BLOB. Slices are ranges of rowid (DuckDB seeks to them), sized
    // from the bytes earlier slices returned, so memory stays near `exportSliceBytes` whatever the
    // export's size or the events' width. Stored properties are sorted JSON object text, spliced in after
    // `time` and `distinct_id`.
    const time = options.timeInMs === true ? sql`e.time_ms` : sql`e.time_ms // 1000`;
    const line = sql`'{"event":' || to_json(e.event) || ',"properties":{"time":' || ${time}
      || ',"distinct_id":' || to_json(${exportColumns.distinctId})
      || CASE WHEN length(e.properties::VARCHAR) > 2 THEN ',' || (e.properties::VARCHAR)[2:] ELSE '}' END || '}'`;
    const conn = await this.instance.connect();
    try {
      // One transaction: every slice reads the same snapshot (events and identity links), as one query did.
      await conn.run("BEGIN TRANSACTION");
      const top = (await conn.runAndReadAll("SELECT max(rowid) FROM events")).getRows()[0]?.[0];
      if (typeof top !== "bigint") return;
      let remaining = query.limit;
      let rows = EXPORT_FIRST_ROWS;
      let start = 0n;
      while (start <= top && (remaining === undefined || remaining > 0)) {
        const slice = sql`e.rowid >= ${start} AND e.rowid < ${start + BigInt(rows)}`;
        const lines = this.exportStatement(
          { ...query, limit: remaining },
          sql`${line} AS line`,
          where,
          slice,
        );
        const q = prepare(
          sql`SELECT count(*) AS n, encode(string_agg(line, chr(10)) || chr(10)) AS text FROM (${lines})`,
        );
        let n: unknown;
        let text: unknown;
        try {
          [n, text] = (await conn.runAndReadAll(q.text, q.values)).getRows()[0] ?? [];
        } catch (error) {
          // A slice can outgrow DuckDB's 4 GiB string (or memory) when events turn much wider than
          // the slices before them: read the same rows in smaller slices. One row always fits.
          if (rows === 1) throw error;
          rows = Math.max(1, rows >> 3);
          continue;
        }
        start += BigInt(rows);
        const bytes = text instanceof DuckDBBlobValue ? text.bytes : undefined;
        // The next slice aims at the byte target, growing at most 4x a step.
        const grown = Math.min(EXPORT_MAX_ROWS, rows * 4);
        rows =
          bytes === undefined || bytes.byteLength === 0
            ? grown
            : Math.max(1, Math.min(grown, Math.floor((rows * this.exportSliceBytes) / bytes.byteLength)));
        if (typeof n !== "bigint" || n === 0n || bytes === undefined) continue;
        if (remaining !== undefined) remaining -= Number(n);
        yield bytes;
      }
    } finally {
      await conn.run("COMMIT").catch(() => undefined);
      conn.closeSync();
    }
  }

  async query(statement: Sql): Promise<Record<string, unknown>[]> {
    const conn = await this.instance.connect();
    try {
      const q = prepare(statement);
      const reader = await conn.runAndReadAll(q.text, q.values);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  }

  async *stream(statement: Sql): AsyncIterable<Record<string, unknown>[]> {
    const conn = await this.instance.connect();
    try {
      const q = prepare(statement);
      const result = await conn.stream(q.text, q.values);
      for await (const rows of result.yieldRowObjectJs()) yield rows as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  }

  private async *streamRows(statement: Sql): AsyncIterable<unknown[][]> {
    const conn = await this.instance.connect();
    try {
      const q = prepare(statement);
      const result = await conn.stream(q.text, q.values);
      for await (const rows of result.yieldRows()) yield rows as unknown[][];
    } finally {
      conn.closeSync();
    }
  }

  async close(): Promise<void> {
    await this.queue;
    this.closed = true;
    await this.writer.run("CHECKPOINT").catch(() => undefined);
    for (const statement of this.prepared.values()) (await statement.catch(() => undefined))?.destroySync();
    this.prepared.clear();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
