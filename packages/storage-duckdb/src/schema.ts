/**
 * DuckDB schema. Events carry a 128-bit de-duplication key (mixed with the project id); the adapter
 * keeps the set of stored keys in memory ({@link KeySet}) so a retried batch (same event, distinct_id,
 * second and `$insert_id`) is stored once, as Mixpanel promises for `/import`, without the cost of a
 * primary-key index on every append.
 */
export const schemaStatements: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS events (
    dedupe_key HUGEINT NOT NULL,
    project_id INTEGER NOT NULL,
    event VARCHAR NOT NULL,
    time_ms BIGINT NOT NULL,
    distinct_id VARCHAR NOT NULL,
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
