import type { DuckDBConnection, DuckDBPreparedStatement } from "@duckdb/node-api";
import { sql } from "@mpkit/sql";
import {
  type EventBatch,
  type EventRecord,
  type IdentityLink,
  PROPERTIES_SEPARATOR,
  type ProfileKey,
  type ProfileRecord,
  packEvents,
  type WriteTransaction,
} from "@mpkit/storage";
import { batchKeyWords, type KeySet, keyWords } from "./key-set.js";
import { prepare } from "./params.js";

const PROJECT_MIX = 0x9e3779b97f4a7c15f39cc0605cedc835n;

/**
 * The stored key: the event's de-duplication key mixed with its project, so identical events sent to
 * two projects are both kept. XOR with a per-project constant keeps distinct keys distinct within a
 * project and makes a cross-project collision as unlikely as any other 128-bit collision.
 */
export function projectKey(projectId: number, dedupeKey: bigint): bigint {
  return BigInt.asIntN(128, dedupeKey ^ (BigInt(projectId) * PROJECT_MIX));
}

/**
 * Rows of a packed batch, unnested in SQL: the columns arrive as a few strings (see `EventBatch`), so
 * the whole batch crosses into DuckDB in one statement whose work runs off the JavaScript thread (the
 * properties as UTF-8 bytes, bound as a BLOB and decoded in SQL, which checks they are UTF-8). The
 * stored key is mixed with the project as in {@link projectKey}. The strings enter through a one-row
 * VALUES list rather than as bare parameters, which measured ~10% less DuckDB CPU per row (the bare
 * parameters are folded into constant lists first). The texts are constants; every value is bound.
 */
function batchInsert(filter: string): string {
  return `INSERT INTO events
    SELECT xor(k::HUGEINT, $1::HUGEINT), $2, e, t::BIGINT, d, p FROM (
      SELECT unnest(string_split(ks, ',')) AS k,
             unnest(from_json(es, '["VARCHAR"]')) AS e,
             unnest(string_split(ts, ',')) AS t,
             unnest(from_json(ds, '["VARCHAR"]')) AS d,
             unnest(string_split(decode(ps), chr(${PROPERTIES_SEPARATOR.charCodeAt(0)}))) AS p${filter === "" ? "" : ",\n             unnest(range(n)) AS i"}
      FROM (VALUES ($3, $4, $5, $6, $7, $8::BIGINT)) AS src(ks, es, ts, ds, ps, n)
    ) ${filter}`;
}

/** The batch insert, and its variant that skips the row numbers listed in `$9` (duplicates). */
export const INSERT_BATCH = batchInsert("");
export const INSERT_BATCH_SKIPPING = batchInsert(
  "WHERE i NOT IN (SELECT unnest(string_split($9, ','))::BIGINT)",
);

/** The writer connection's prepared statements, prepared once and reused by every transaction. */
export interface WriterStatements {
  get(text: string): Promise<DuckDBPreparedStatement>;
}

/** The write side of one DuckDB transaction, on the single writer connection. */
export class DuckDbWriteTransaction implements WriteTransaction {
  /** Words of the keys this transaction added to the key set (four per key), forgotten on rollback. */
  private added = new Uint32Array(1024);
  private addedWords = 0;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly keys: KeySet,
    private readonly statements: WriterStatements,
  ) {}

  insertEvents(projectId: number, events: readonly EventRecord[]): Promise<{ inserted: number }> {
    return this.insertEventBatch(projectId, packEvents(events));
  }

  async insertEventBatch(projectId: number, batch: EventBatch): Promise<{ inserted: number }> {
    if (batch.count === 0) return { inserted: 0 };
    const mix = projectKey(projectId, 0n);
    const m = new Uint32Array(4);
    keyWords(mix, m);
    const m0 = m[0] as number;
    const m1 = m[1] as number;
    const m2 = m[2] as number;
    const m3 = m[3] as number;
    const words = batchKeyWords(batch.keys);
    if (this.added.length < this.addedWords + words.length) {
      const grown = new Uint32Array(Math.max(this.added.length * 2, this.addedWords + words.length));
      grown.set(this.added.subarray(0, this.addedWords));
      this.added = grown;
    }
    const skip: number[] = [];
    for (let i = 0; i < batch.count; i++) {
      // XOR of the words is the XOR of the keys (see projectKey), without a BigInt per key.
      const a = ((words[i * 4] as number) ^ m0) >>> 0;
      const b = ((words[i * 4 + 1] as number) ^ m1) >>> 0;
      const c = ((words[i * 4 + 2] as number) ^ m2) >>> 0;
      const d = ((words[i * 4 + 3] as number) ^ m3) >>> 0;
      // Stored before, or earlier in this batch: Mixpanel keeps the first copy.
      if (!this.keys.addWords(a, b, c, d)) skip.push(i);
      else {
        const at = this.addedWords;
        this.added[at] = a;
        this.added[at + 1] = b;
        this.added[at + 2] = c;
        this.added[at + 3] = d;
        this.addedWords = at + 4;
      }
    }
    const inserted = batch.count - skip.length;
    if (inserted === 0) return { inserted };
    // The rows are written inside this connection's open transaction, so a rollback discards them
    // (and `rollback()` below forgets their keys).
    const statement = await this.statements.get(skip.length === 0 ? INSERT_BATCH : INSERT_BATCH_SKIPPING);
    statement.bindVarchar(1, mix.toString());
    statement.bindInteger(2, projectId);
    statement.bindVarchar(3, batch.keyText);
    statement.bindVarchar(4, batch.events);
    statement.bindVarchar(5, batch.times);
    statement.bindVarchar(6, batch.distinctIds);
    statement.bindBlob(7, batch.properties);
    statement.bindBigInt(8, BigInt(batch.count));
    if (skip.length > 0) statement.bindVarchar(9, skip.join(","));
    await statement.run();
    return { inserted };
  }

  /** Forgets the keys this transaction added; called when it rolls back. */
  rollback(): void {
    const w = this.added;
    for (let i = 0; i < this.addedWords; i += 4) {
      this.keys.deleteWords(w[i] as number, w[i + 1] as number, w[i + 2] as number, w[i + 3] as number);
    }
    this.addedWords = 0;
  }

  async getProfiles(projectId: number, keys: readonly ProfileKey[]): Promise<ProfileRecord[]> {
    if (keys.length === 0) return [];
    const pairs = sql.join(keys.map((k) => sql`(${k.groupKey}, ${k.id})`));
    const q = prepare(
      sql`SELECT group_key, id, properties::VARCHAR AS properties FROM profiles
          WHERE project_id = ${projectId} AND (group_key, id) IN (${pairs})`,
    );
    const reader = await this.conn.runAndReadAll(q.text, q.values);
    return reader.getRowObjectsJS().map((r) => ({
      groupKey: String(r["group_key"]),
      id: String(r["id"]),
      properties: JSON.parse(String(r["properties"])) as Record<string, unknown>,
    }));
  }

  async putProfiles(projectId: number, profiles: readonly ProfileRecord[]): Promise<void> {
    if (profiles.length === 0) return;
    const rows = sql.join(
      profiles.map((p) => sql`(${projectId}, ${p.groupKey}, ${p.id}, ${JSON.stringify(p.properties)}::JSON)`),
    );
    const q = prepare(
      sql`INSERT INTO profiles (project_id, group_key, id, properties) VALUES ${rows}
          ON CONFLICT (project_id, group_key, id) DO UPDATE SET properties = excluded.properties`,
    );
    await this.conn.run(q.text, q.values);
  }

  async deleteProfiles(projectId: number, keys: readonly ProfileKey[]): Promise<void> {
    if (keys.length === 0) return;
    const pairs = sql.join(keys.map((k) => sql`(${k.groupKey}, ${k.id})`));
    const q = prepare(
      sql`DELETE FROM profiles WHERE project_id = ${projectId} AND (group_key, id) IN (${pairs})`,
    );
    await this.conn.run(q.text, q.values);
  }

  async getCanonicalIds(projectId: number, distinctIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (distinctIds.length === 0) return out;
    const q = prepare(
      sql`SELECT distinct_id, canonical_id FROM identities
          WHERE project_id = ${projectId} AND distinct_id IN (${sql.join(distinctIds.map((d) => sql`${d}`))})`,
    );
    const reader = await this.conn.runAndReadAll(q.text, q.values);
    for (const r of reader.getRowObjectsJS()) out.set(String(r["distinct_id"]), String(r["canonical_id"]));
    return out;
  }

  async getClusterMembers(projectId: number, canonicalIds: readonly string[]): Promise<IdentityLink[]> {
    if (canonicalIds.length === 0) return [];
    const q = prepare(
      sql`SELECT distinct_id, canonical_id FROM identities
          WHERE project_id = ${projectId} AND canonical_id IN (${sql.join(canonicalIds.map((d) => sql`${d}`))})`,
    );
    const reader = await this.conn.runAndReadAll(q.text, q.values);
    return reader
      .getRowObjectsJS()
      .map((r) => ({ distinctId: String(r["distinct_id"]), canonicalId: String(r["canonical_id"]) }));
  }

  async putIdentityLinks(projectId: number, links: readonly IdentityLink[]): Promise<void> {
    if (links.length === 0) return;
    const rows = sql.join(links.map((l) => sql`(${projectId}, ${l.distinctId}, ${l.canonicalId})`));
    const q = prepare(
      sql`INSERT INTO identities (project_id, distinct_id, canonical_id) VALUES ${rows}
          ON CONFLICT (project_id, distinct_id) DO UPDATE SET canonical_id = excluded.canonical_id`,
    );
    await this.conn.run(q.text, q.values);
  }
}
