import type { DuckDBConnection } from "@duckdb/node-api";
import { sql } from "@mpkit/sql";
import type { EventRecord, IdentityLink, ProfileKey, ProfileRecord, WriteTransaction } from "@mpkit/storage";
import { prepare } from "./params.js";
import { stagingTable } from "./schema.js";

/** The write side of one DuckDB transaction, on the single writer connection. */
export class DuckDbWriteTransaction implements WriteTransaction {
  constructor(private readonly conn: DuckDBConnection) {}

  async insertEvents(projectId: number, events: readonly EventRecord[]): Promise<{ inserted: number }> {
    if (events.length === 0) return { inserted: 0 };
    // The appender is DuckDB's fast path (no SQL parsing per row). It cannot skip conflicts, so rows go
    // to a temp staging table first and one INSERT ... ON CONFLICT DO NOTHING moves them over.
    const appender = await this.conn.createAppender(stagingTable, "main", "temp");
    const seen = new Set<bigint>();
    for (const e of events) {
      if (seen.has(e.dedupeKey)) continue; // ON CONFLICT does not cover duplicates within one statement
      seen.add(e.dedupeKey);
      appender.appendHugeInt(e.dedupeKey);
      appender.appendInteger(projectId);
      appender.appendVarchar(e.event);
      appender.appendBigInt(BigInt(e.timeMs));
      appender.appendVarchar(e.distinctId);
      appender.appendVarchar(e.insertId);
      appender.appendVarchar(e.propertiesJson);
      appender.endRow();
    }
    appender.closeSync();
    const result = await this.conn.run(
      `INSERT INTO events SELECT dedupe_key, project_id, event, time_ms, distinct_id, insert_id, properties::JSON
       FROM temp.main.${stagingTable} ON CONFLICT DO NOTHING`,
    );
    await this.conn.run(`DELETE FROM temp.main.${stagingTable}`);
    return { inserted: result.rowsChanged };
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
