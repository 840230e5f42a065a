import type { DuckDBConnection } from "@duckdb/node-api";
import { sql } from "@mpkit/sql";
import type { EventRecord, IdentityLink, ProfileKey, ProfileRecord, WriteTransaction } from "@mpkit/storage";
import type { KeySet } from "./key-set.js";
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

/** The write side of one DuckDB transaction, on the single writer connection. */
export class DuckDbWriteTransaction implements WriteTransaction {
  private readonly added: bigint[] = [];

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly keys: KeySet,
  ) {}

  async insertEvents(projectId: number, events: readonly EventRecord[]): Promise<{ inserted: number }> {
    if (events.length === 0) return { inserted: 0 };
    // The appender is DuckDB's fast path (no SQL parsing per row); it writes inside this connection's
    // open transaction, so a rollback discards the rows (and `rollback()` below forgets their keys).
    const appender = await this.conn.createAppender("events");
    let inserted = 0;
    try {
      for (const e of events) {
        const key = projectKey(projectId, e.dedupeKey);
        if (!this.keys.add(key)) continue; // stored before, or earlier in this batch
        this.added.push(key);
        inserted += 1;
        appender.appendHugeInt(key);
        appender.appendInteger(projectId);
        appender.appendVarchar(e.event);
        appender.appendBigInt(BigInt(e.timeMs));
        appender.appendVarchar(e.distinctId);
        appender.appendVarchar(e.propertiesJson);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
    return { inserted };
  }

  /** Forgets the keys this transaction added; called when it rolls back. */
  rollback(): void {
    for (const key of this.added) this.keys.delete(key);
    this.added.length = 0;
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
