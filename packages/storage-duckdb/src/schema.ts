/**
 * DuckDB schema. Events carry a 128-bit de-duplication key with a primary key on it, so a retried batch
 * (same event, distinct_id, second and `$insert_id`) is stored once, as Mixpanel promises for `/import`.
 */
export const schemaStatements: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS events (
    dedupe_key HUGEINT PRIMARY KEY,
    project_id INTEGER NOT NULL,
    event VARCHAR NOT NULL,
    time_ms BIGINT NOT NULL,
    distinct_id VARCHAR NOT NULL,
    insert_id VARCHAR NOT NULL,
    properties JSON NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS identities (
    project_id INTEGER NOT NULL,
    distinct_id VARCHAR NOT NULL,
    canonical_id VARCHAR NOT NULL,
    PRIMARY KEY (project_id, distinct_id)
  )`,
  `CREATE TABLE IF NOT EXISTS profiles (
    project_id INTEGER NOT NULL,
    group_key VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    properties JSON NOT NULL,
    PRIMARY KEY (project_id, group_key, id)
  )`,
  `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`,
];

/** The staging table that one write transaction appends events to before the de-duplicating insert. */
export const stagingTable = "events_stage";

export const stagingStatement = `CREATE TEMP TABLE IF NOT EXISTS ${stagingTable} (
  dedupe_key HUGEINT,
  project_id INTEGER,
  event VARCHAR,
  time_ms BIGINT,
  distinct_id VARCHAR,
  insert_id VARCHAR,
  properties VARCHAR
)`;
