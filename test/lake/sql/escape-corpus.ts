import type { SqlRejectCode } from '../../../services/lake/sql/errors.js';
import type { SqlQueryOptions } from '../../../services/lake/sql/sandbox.js';

/**
 * SQL that tries to get out of the sandbox, grouped by the kind of escape. Every entry must be refused with the
 * code given (any of them, for resource limits, where which one trips first depends on the machine).
 * Placeholders: `{lake}` and `{catalog}` are the absolute lake and catalog folders, `{data}` the data directory.
 * `insideLake` marks file reads that DuckDB's own lock would allow (they stay inside the allowed folders but would
 * bypass the views and a caller's scope): only the statement inspection stops those.
 */
export interface EscapeAttempt {
  sql: string;
  expect: SqlRejectCode | readonly SqlRejectCode[];
  options?: SqlQueryOptions;
  insideLake?: boolean;
}

export const ESCAPE_CORPUS: Record<string, readonly EscapeAttempt[]> = {
  'file reads (table functions and replacement scans)': [
    { sql: "SELECT * FROM read_csv('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM read_csv_auto('/etc/passwd', sep = ':')", expect: 'file_access' },
    { sql: "SELECT * FROM read_csv(['/etc/passwd', '/etc/group'])", expect: 'file_access' },
    { sql: "SELECT * FROM '/etc/passwd'", expect: 'file_access' },
    { sql: 'SELECT * FROM "/etc/hosts"', expect: 'file_access' },
    { sql: "SELECT * FROM 'package.json'", expect: 'file_access' },
    { sql: "SELECT * FROM 'file:///etc/passwd'", expect: 'file_access' },
    { sql: "SELECT * FROM read_text('/etc/hostname')", expect: 'file_access' },
    { sql: "SELECT * FROM read_blob('/etc/shadow')", expect: 'file_access' },
    { sql: "SELECT * FROM read_json('/proc/self/environ')", expect: 'file_access' },
    { sql: "SELECT * FROM read_ndjson_objects('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM read_parquet('/tmp/*.parquet')", expect: 'file_access' },
    { sql: "SELECT * FROM parquet_scan('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM read_duckdb('/tmp/other.duckdb')", expect: 'file_access' },
    { sql: "SELECT * FROM sniff_csv('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM glob('/*')", expect: 'file_access' },
    { sql: "SELECT * FROM glob('~/.ssh/*')", expect: 'file_access' },
    { sql: "SELECT * FROM parquet_metadata('{lake}/telemetry/**/*.parquet')", expect: 'file_access', insideLake: true },
    {
      sql: "SELECT * FROM read_parquet('{lake}/telemetry/**/*.parquet', hive_partitioning = true)",
      expect: 'file_access',
      insideLake: true,
    },
    { sql: "SELECT * FROM '{lake}/events/**/*.parquet'", expect: 'file_access', insideLake: true },
    { sql: "SELECT * FROM read_json('{catalog}/*.json')", expect: 'file_access', insideLake: true },
    { sql: "SELECT * FROM glob('{lake}/**')", expect: 'file_access', insideLake: true },
  ],
  'path traversal': [
    { sql: "SELECT * FROM read_text('{lake}/../../../../etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM '{lake}/telemetry/../../../../etc/passwd'", expect: 'file_access' },
    { sql: "SELECT * FROM read_csv('lake/../../etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM glob('{lake}/../*')", expect: 'file_access' },
    { sql: "SELECT * FROM glob('{catalog}/../../*')", expect: 'file_access' },
    { sql: "SELECT * FROM read_text('{data}/staging/**')", expect: 'file_access' },
    { sql: "SELECT * FROM read_text('{lake}/../staging/**')", expect: 'file_access' },
  ],
  'writes (COPY, EXPORT)': [
    { sql: "COPY (SELECT 1) TO '/tmp/avlog-escape.csv'", expect: 'only_select' },
    {
      sql: "COPY (SELECT * FROM telemetry) TO '{lake}/telemetry/evil.parquet' (FORMAT parquet)",
      expect: 'only_select',
    },
    { sql: "COPY telemetry FROM '/etc/passwd'", expect: 'only_select' },
    { sql: "EXPORT DATABASE '/tmp/avlog-escape-export'", expect: 'only_select' },
    { sql: "IMPORT DATABASE '/tmp/avlog-escape-export'", expect: 'only_select' },
  ],
  'ATTACH / DETACH / USE': [
    { sql: "ATTACH '/tmp/avlog-escape.duckdb' AS evil", expect: 'only_select' },
    { sql: "ATTACH ':memory:' AS scratch", expect: 'only_select' },
    { sql: "ATTACH '{lake}/x.duckdb' AS inside", expect: 'only_select' },
    { sql: 'DETACH memory', expect: 'only_select' },
    { sql: 'USE memory.main', expect: 'only_select' },
  ],
  'INSTALL / LOAD': [
    { sql: 'INSTALL httpfs', expect: 'only_select' },
    { sql: 'LOAD httpfs', expect: 'only_select' },
    { sql: "LOAD '/tmp/evil.duckdb_extension'", expect: 'only_select' },
    { sql: 'FORCE INSTALL spatial FROM community', expect: 'only_select' },
    { sql: 'UPDATE EXTENSIONS', expect: 'only_select' },
  ],
  'SET / RESET / PRAGMA / CALL': [
    { sql: 'SET enable_external_access = true', expect: 'only_select' },
    { sql: 'SET lock_configuration = false', expect: 'only_select' },
    { sql: "SET GLOBAL memory_limit = '100GB'", expect: 'only_select' },
    { sql: "SET search_path = 'memory.main'", expect: 'only_select' },
    { sql: 'RESET allowed_directories', expect: 'only_select' },
    { sql: 'RESET ALL', expect: 'only_select' },
    { sql: 'SET VARIABLE x = 1', expect: 'only_select' },
    { sql: 'PRAGMA enable_profiling', expect: 'only_select' },
    { sql: 'PRAGMA show_tables', expect: 'only_select' },
    { sql: 'CALL pragma_version()', expect: 'only_select' },
  ],
  'CREATE / DROP / INSERT / UPDATE / DELETE / ALTER and other statements': [
    { sql: 'CREATE TABLE t AS SELECT 1', expect: 'only_select' },
    { sql: "CREATE VIEW v AS SELECT * FROM read_csv('/etc/passwd')", expect: 'only_select' },
    {
      sql: "CREATE TEMP VIEW telemetry AS SELECT * FROM read_parquet('{lake}/telemetry/**/*.parquet')",
      expect: 'only_select',
    },
    { sql: 'CREATE MACRO m() AS TABLE SELECT 1', expect: 'only_select' },
    { sql: "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')", expect: 'only_select' },
    { sql: 'DROP VIEW telemetry', expect: 'only_select' },
    { sql: 'INSERT INTO telemetry SELECT * FROM telemetry', expect: 'only_select' },
    { sql: "UPDATE sources SET status = 'failed'", expect: 'only_select' },
    { sql: 'DELETE FROM events', expect: 'only_select' },
    { sql: 'ALTER VIEW telemetry RENAME TO t2', expect: 'only_select' },
    { sql: 'MERGE INTO telemetry USING events ON false WHEN NOT MATCHED THEN DO NOTHING', expect: 'only_select' },
    { sql: 'CHECKPOINT', expect: 'only_select' },
    { sql: 'BEGIN TRANSACTION', expect: 'only_select' },
    { sql: 'PREPARE p AS SELECT 1', expect: 'only_select' },
    { sql: "EXPLAIN ANALYZE SELECT * FROM read_csv('/etc/passwd')", expect: 'only_select' },
  ],
  'multiple statements': [
    { sql: 'SELECT 1; SELECT 2', expect: 'multiple_statements' },
    { sql: "SELECT 1; COPY (SELECT 1) TO '/tmp/avlog-escape.csv'", expect: 'multiple_statements' },
    { sql: 'SELECT * FROM telemetry; DROP VIEW telemetry', expect: 'multiple_statements' },
    { sql: 'SELECT 1;;SET enable_external_access = true', expect: 'multiple_statements' },
    { sql: "SELECT 'a'; -- a comment\nATTACH ':memory:' AS m", expect: 'multiple_statements' },
    { sql: "SELECT 1 /* ; */ ; COPY (SELECT 1) TO '/tmp/avlog-escape.csv'", expect: 'multiple_statements' },
  ],
  'environment and settings': [
    { sql: "SELECT getenv('HOME')", expect: 'forbidden_function' },
    { sql: "SELECT current_setting('home_directory')", expect: 'forbidden_function' },
    { sql: "SELECT current_setting('allowed_directories')", expect: 'forbidden_function' },
    { sql: "SELECT current_setting('temp_directory')", expect: 'forbidden_function' },
    { sql: "SELECT getvariable('x')", expect: 'forbidden_function' },
    { sql: "SELECT * FROM which_secret('s3://bucket/key', 's3')", expect: 'forbidden_function' },
  ],
  'metadata leaks': [
    { sql: 'SELECT * FROM duckdb_settings()', expect: 'forbidden_function' },
    { sql: 'SELECT * FROM duckdb_extensions()', expect: 'forbidden_function' },
    { sql: 'SELECT sql FROM duckdb_views()', expect: 'forbidden_function' },
    { sql: 'SELECT * FROM duckdb_functions()', expect: 'forbidden_function' },
    { sql: "SELECT * FROM pragma_table_info('telemetry')", expect: 'forbidden_function' },
    { sql: 'SELECT * FROM test_all_types()', expect: 'forbidden_function' },
    { sql: 'SELECT pg_catalog.pg_get_viewdef(1)', expect: 'forbidden_function' },
    { sql: "SELECT json_serialize_plan('SELECT * FROM read_csv(''/etc/passwd'')')", expect: 'forbidden_function' },
    { sql: "SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')", expect: 'forbidden_function' },
    { sql: "SELECT * FROM query_table('memory.main.telemetry')", expect: 'forbidden_function' },
    { sql: 'SELECT sql FROM duckdb_views', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM pragma_database_list', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM information_schema.tables', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM sqlite_master', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM system.main.duckdb_settings', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM memory.main.telemetry', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM main.sources', expect: 'forbidden_table' },
    { sql: 'SELECT * FROM _avlog_source_companies', expect: 'forbidden_table' },
    { sql: 'SHOW TABLES', expect: 'forbidden_table' },
    { sql: 'SHOW ALL TABLES', expect: 'forbidden_table' },
  ],
  'wrapped in CTEs, subqueries, lambdas and DESCRIBE': [
    { sql: "WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x", expect: 'file_access' },
    {
      sql: "SELECT * FROM telemetry WHERE vehicle_id IN (SELECT content FROM read_text('/etc/passwd'))",
      expect: 'file_access',
    },
    { sql: "SELECT (SELECT current_setting('home_directory'))", expect: 'forbidden_function' },
    { sql: "SELECT * FROM (SELECT * FROM (SELECT * FROM glob('/*')))", expect: 'file_access' },
    {
      sql: 'WITH a AS (SELECT 1), b AS (SELECT * FROM duckdb_settings()) SELECT * FROM a',
      expect: 'forbidden_function',
    },
    {
      sql: 'SELECT * FROM duckdb_views, (WITH duckdb_views AS (SELECT 1) SELECT * FROM duckdb_views)',
      expect: 'forbidden_table',
    },
    { sql: 'WITH duckdb_views AS (SELECT * FROM duckdb_views) SELECT * FROM duckdb_views', expect: 'forbidden_table' },
    {
      sql: 'WITH a AS (SELECT * FROM sqlite_master), sqlite_master AS (SELECT 1) SELECT * FROM a',
      expect: 'forbidden_table',
    },
    {
      sql: "SELECT * FROM telemetry UNION ALL SELECT * FROM read_parquet('{lake}/events/**/*.parquet')",
      expect: 'file_access',
    },
    { sql: "SELECT list_transform([1], x -> (SELECT count(*) FROM read_text('/etc/passwd')))", expect: 'file_access' },
    { sql: "SELECT * FROM telemetry t, LATERAL (SELECT * FROM read_csv('/etc/passwd')) p", expect: 'file_access' },
    {
      sql: "SELECT * FROM telemetry QUALIFY row_number() OVER (ORDER BY (SELECT getenv('HOME'))) = 1",
      expect: 'forbidden_function',
    },
    { sql: "DESCRIBE SELECT * FROM read_csv('/etc/passwd')", expect: 'file_access' },
    { sql: "SUMMARIZE SELECT * FROM '/etc/passwd'", expect: 'file_access' },
    {
      sql: "SELECT * FROM (PIVOT (SELECT * FROM read_csv('/etc/passwd')) ON column0 IN ('root') USING count(*))",
      expect: 'file_access',
    },
    { sql: "FROM read_csv('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM unnest((SELECT list(content) FROM read_text('/etc/passwd')))", expect: 'file_access' },
    {
      sql: 'WITH RECURSIVE t AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM t, duckdb_settings() WHERE n < 2) SELECT * FROM t',
      expect: 'forbidden_function',
    },
  ],
  'comments, case and quoting tricks': [
    { sql: "SeLeCt * FrOm ReAd_CsV('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM READ_TEXT ( '/etc/passwd' )", expect: 'file_access' },
    { sql: 'SELECT * FROM "read_csv"(\'/etc/passwd\')', expect: 'file_access' },
    { sql: "SELECT * FROM main.read_csv('/etc/passwd')", expect: 'file_access' },
    { sql: "SELECT * FROM read_text(chr(47) || 'etc' || chr(47) || 'passwd')", expect: 'file_access' },
    { sql: 'SELECT "current_setting"(\'home_directory\')', expect: 'forbidden_function' },
    { sql: "SELECT pg_catalog.current_setting('home_directory')", expect: 'forbidden_function' },
    { sql: "/* harmless */ COPY (SELECT 1) TO '/tmp/avlog-escape.csv'", expect: 'only_select' },
    { sql: "\n\tcopy\n(select 1)\tTO '/tmp/avlog-escape.csv'", expect: 'only_select' },
    { sql: "-- SELECT 1\nATTACH ':memory:' AS m", expect: 'only_select' },
    { sql: 'SELECT * FROM "Memory"."Main"."Telemetry"', expect: 'forbidden_table' },
    { sql: "SELECT 1\u0000; COPY (SELECT 1) TO '/tmp/avlog-escape.csv'", expect: 'syntax' },
  ],
  'resource exhaustion': [
    { sql: 'SELECT count(*) FROM range(1000000) a, range(1000000) b', expect: 'timeout' },
    { sql: 'SELECT sum(range) FROM range(1000000000000)', expect: ['timeout', 'memory'] },
    {
      sql: 'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t',
      expect: ['timeout', 'memory'],
    },
    { sql: 'SELECT list(range) FROM range(1000000000)', expect: ['timeout', 'memory'] },
    { sql: 'SELECT * FROM range(200000000) ORDER BY random()', expect: ['timeout', 'memory'] },
    { sql: 'SELECT * FROM range(1000000000000)', expect: 'too_many_rows', options: { truncate: false } },
    { sql: 'SELECT * FROM telemetry, range(1000000000)', expect: 'too_many_rows', options: { truncate: false } },
    { sql: "SELECT length(repeat('x', 2000000000))", expect: 'memory' },
    { sql: 'SELECT len(range(300000000))', expect: 'memory' },
    { sql: "SELECT length(lpad('x', 1000000000, 'y'))", expect: 'memory' },
    { sql: "SELECT length(printf('%0300000000d', 1))", expect: 'memory' },
    { sql: "SELECT length(repeat(repeat('x', 1000), 1000))", expect: 'memory' },
    { sql: 'SELECT sleep_ms(100000)', expect: 'forbidden_function' },
    { sql: 'SELECT pg_sleep(100)', expect: 'forbidden_function' },
  ],
};

/** Replaces the placeholders with the sandbox's folders. */
export function fillPaths(sql: string, folders: { lake: string; catalog: string; data: string }): string {
  return sql
    .replaceAll('{lake}', folders.lake)
    .replaceAll('{catalog}', folders.catalog)
    .replaceAll('{data}', folders.data);
}
