import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement } from "@duckdb/node-api";
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
}

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
      }
      return statement;
    },
  };

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
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
    return new DuckDbStorage(instance, writer);
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

  private exportStatement(query: ExportQuery, select: Sql, where?: (columns: EventColumns) => Sql): Sql {
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
  ): AsyncIterable<string> {
    // The line is assembled in SQL: one VARCHAR per row crosses into JavaScript instead of four values,
    // which about doubles export throughput (bench/ingest-export.ts). Stored properties are sorted JSON
    // object text, spliced in after `time` and `distinct_id` without parsing.
    const time = options.timeInMs === true ? sql`e.time_ms` : sql`e.time_ms // 1000`;
    const select = sql`'{"event":' || to_json(e.event) || ',"properties":{"time":' || ${time}
      || ',"distinct_id":' || to_json(${exportColumns.distinctId})
      || CASE WHEN length(e.properties::VARCHAR) > 2 THEN ',' || (e.properties::VARCHAR)[2:] ELSE '}' END || '}'`;
    const conn = await this.instance.connect();
    try {
      const q = prepare(this.exportStatement(query, select, where));
      const result = await conn.stream(q.text, q.values);
      for await (const chunk of result) {
        const lines = chunk.getColumns()[0] ?? [];
        if (lines.length > 0) yield `${lines.join("\n")}\n`;
      }
    } finally {
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
