import { type Sql, sql } from "@mpkit/sql";
import { int } from "../buckets.js";
import { num } from "../shape/numbers.js";
import type { ReportKind, ReportKinds, SavedReport } from "./types.js";

/** The slice of a storage adapter the query engine uses. */
export interface QueryStorage {
  query(statement: Sql): Promise<Record<string, unknown>[]>;
}

/**
 * Saved funnels, cohorts and Insights reports, in a table of their own next to the events. Ids are
 * numbered per project across kinds, like Mixpanel's bookmark ids.
 *
 * @example
 * ```ts
 * const store = new ReportStore(storage);
 * const funnel = await store.create(1, "funnel", { name: "Signup", steps: [{ event: "a" }, { event: "b" }] }, Date.now());
 * ```
 */
export class ReportStore {
  private ready: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: QueryStorage) {}

  private ensure(): Promise<void> {
    this.ready ??= this.storage
      .query(
        sql`CREATE TABLE IF NOT EXISTS mpkit_reports (project_id INTEGER NOT NULL, kind VARCHAR NOT NULL,
          id INTEGER NOT NULL, definition VARCHAR NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,
          PRIMARY KEY (project_id, id))`,
      )
      .then(() => undefined);
    return this.ready;
  }

  /** Writes one at a time so id allocation cannot race. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private decode<K extends ReportKind>(r: Record<string, unknown>): SavedReport<K> {
    return {
      id: num(r["id"]),
      projectId: num(r["project_id"]),
      kind: r["kind"] as K,
      definition: JSON.parse(String(r["definition"])) as ReportKinds[K],
      createdMs: num(r["created_ms"]),
      updatedMs: num(r["updated_ms"]),
    };
  }

  /** Every report of a kind, by id. */
  async list<K extends ReportKind>(projectId: number, kind: K): Promise<SavedReport<K>[]> {
    await this.ensure();
    const rows = await this.storage.query(
      sql`SELECT * FROM mpkit_reports WHERE project_id = ${int(projectId)} AND kind = ${kind} ORDER BY id`,
    );
    return rows.map((r) => this.decode<K>(r));
  }

  /** One report, or `undefined`. */
  async get<K extends ReportKind>(
    projectId: number,
    kind: K,
    id: number,
  ): Promise<SavedReport<K> | undefined> {
    await this.ensure();
    const rows = await this.storage.query(
      sql`SELECT * FROM mpkit_reports WHERE project_id = ${int(projectId)} AND kind = ${kind} AND id = ${int(id)}`,
    );
    const r = rows[0];
    return r === undefined ? undefined : this.decode<K>(r);
  }

  /** Stores a new report (or, with `id`, one with that id: the config file names its reports). */
  create<K extends ReportKind>(
    projectId: number,
    kind: K,
    definition: ReportKinds[K],
    nowMs: number,
    id?: number,
  ): Promise<SavedReport<K>> {
    return this.serial(async () => {
      await this.ensure();
      let newId = id;
      if (newId === undefined) {
        const rows = await this.storage.query(
          sql`SELECT coalesce(max(id), 0) + 1 AS id FROM mpkit_reports WHERE project_id = ${int(projectId)}`,
        );
        newId = num(rows[0]?.["id"] ?? 1);
      } else {
        await this.storage.query(
          sql`DELETE FROM mpkit_reports WHERE project_id = ${int(projectId)} AND id = ${int(newId)}`,
        );
      }
      await this.storage.query(
        sql`INSERT INTO mpkit_reports VALUES (${int(projectId)}, ${kind}, ${int(newId)}, ${JSON.stringify(definition)},
          ${int(nowMs)}, ${int(nowMs)})`,
      );
      return { id: newId, projectId, kind, definition, createdMs: nowMs, updatedMs: nowMs };
    });
  }

  /** Replaces a report's definition; `undefined` when there is no such report. */
  update<K extends ReportKind>(
    projectId: number,
    kind: K,
    id: number,
    definition: ReportKinds[K],
    nowMs: number,
  ): Promise<SavedReport<K> | undefined> {
    return this.serial(async () => {
      const old = await this.get(projectId, kind, id);
      if (old === undefined) return undefined;
      await this.storage.query(
        sql`UPDATE mpkit_reports SET definition = ${JSON.stringify(definition)}, updated_ms = ${int(nowMs)}
          WHERE project_id = ${int(projectId)} AND kind = ${kind} AND id = ${int(id)}`,
      );
      return { ...old, definition, updatedMs: nowMs };
    });
  }

  /** Deletes a report; false when there was none. */
  delete(projectId: number, kind: ReportKind, id: number): Promise<boolean> {
    return this.serial(async () => {
      const old = await this.get(projectId, kind, id);
      if (old === undefined) return false;
      await this.storage.query(
        sql`DELETE FROM mpkit_reports WHERE project_id = ${int(projectId)} AND kind = ${kind} AND id = ${int(id)}`,
      );
      return true;
    });
  }
}
