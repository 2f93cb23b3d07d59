import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellJson, type JsonValue } from '../../../services/lake/sql/cell-values.js';
import { scopeSchema } from '../../../services/lake/sql/lake-views.js';
import type { SqlResult } from '../../../services/lake/sql/result.js';
import { SqlSandbox } from '../../../services/lake/sql/sandbox.js';
import { lakePaths } from '../../../services/ingest/lake/paths.js';
import { tempDir } from '../../helpers/lake.js';
import { EXPECTED, buildLake } from './lake-fixture.js';

let cleanup: () => void;
let data: string;
let sandbox: SqlSandbox;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  data = await buildLake(dir);
  sandbox = await SqlSandbox.open(data);
});

afterAll(() => {
  sandbox?.close();
  cleanup();
});

function column(result: SqlResult, name: string): JsonValue[] {
  const c = result.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return Array.from({ length: result.rowCount }, (_, r) => cellJson(c, r));
}

const acme = { scope: { company: 'acme' } };
const beta = { scope: { company: 'beta' } };

describe('a company scope', () => {
  it('shows only the company’s telemetry and events', async () => {
    const t = await sandbox.query('SELECT DISTINCT company_id, company FROM telemetry', acme);
    expect(t.rowCount).toBe(1);
    expect(column(t, 'company_id')).toEqual(['acme']);
    expect(column(await sandbox.query('SELECT count(*) AS n FROM telemetry', acme), 'n')).toEqual([
      EXPECTED.telemetry.acme,
    ]);
    expect(column(await sandbox.query('SELECT count(*) AS n FROM telemetry', beta), 'n')).toEqual([
      EXPECTED.telemetry.beta,
    ]);
    expect(column(await sandbox.query('SELECT DISTINCT company_id FROM events', beta), 'company_id')).toEqual(['beta']);
    expect(column(await sandbox.query('SELECT count(DISTINCT company_id) AS n FROM telemetry'), 'n')).toEqual([2]);
  });

  it('shows the catalog entries only of sources that wrote nothing but the company’s rows', async () => {
    // fleet.csv and drive.events.csv mix acme and beta: their counts and time spans cover both, so neither sees them
    expect(column(await sandbox.query('SELECT file FROM sources ORDER BY file', acme), 'file')).toEqual(['acme.csv']);
    expect((await sandbox.query('SELECT file FROM sources', beta)).rowCount).toBe(0);
    expect(column(await sandbox.query('SELECT file FROM sources ORDER BY file'), 'file')).toEqual([
      'acme.csv',
      'drive.events.csv',
      'fleet.csv',
    ]);
  });

  it('shows quarantined lines only of sources that wrote nothing but the company’s rows', async () => {
    // fleet.csv mixes acme and beta: its rejected line could be either's, so neither sees it.
    expect(column(await sandbox.query('SELECT source_file FROM quarantine', acme), 'source_file')).toEqual([
      'acme.csv',
    ]);
    expect((await sandbox.query('SELECT * FROM quarantine', beta)).rowCount).toBe(0);
    expect((await sandbox.query('SELECT * FROM quarantine')).rowCount).toBe(EXPECTED.quarantine);
  });

  it('shows nothing of a company with no rows', async () => {
    for (const view of ['telemetry', 'events', 'quarantine', 'sources']) {
      expect((await sandbox.query(`SELECT * FROM ${view}`, { scope: { company: 'nobody' } })).rowCount, view).toBe(0);
    }
  });

  it('holds through joins, subqueries, CTEs, set operations and DESCRIBE', async () => {
    const joined = await sandbox.query(
      'SELECT DISTINCT t.company_id FROM telemetry t JOIN events e ON e.vehicle_id = t.vehicle_id',
      acme,
    );
    expect(column(joined, 'company_id')).toEqual(['acme']);
    const nested = await sandbox.query(
      'WITH x AS (SELECT * FROM telemetry) SELECT count(*) AS n FROM (SELECT company_id FROM x UNION ALL SELECT company_id FROM events) WHERE company_id <> $$acme$$',
      acme,
    );
    expect(column(nested, 'n')).toEqual([0]);
    expect((await sandbox.query('DESCRIBE telemetry', acme)).rowCount).toBeGreaterThan(10);
  });

  it('cannot be left by naming the base views, another scope or the files', async () => {
    const lake = lakePaths(data).lake;
    for (const sql of [
      'SELECT * FROM main.telemetry',
      'SELECT * FROM memory.main.telemetry',
      `SELECT * FROM ${scopeSchema('beta')}.telemetry`,
      `SELECT * FROM memory.${scopeSchema('beta')}.events`,
      `SELECT * FROM read_parquet('${lake}/telemetry/**/*.parquet', hive_partitioning = true)`,
      `SELECT * FROM '${lake}/events/*/company=beta/*.parquet'`,
      "SELECT * FROM query_table('main.telemetry')",
      "SELECT * FROM query('SELECT * FROM main.telemetry')",
      'SET search_path = main',
    ]) {
      await expect(sandbox.query(sql, acme), sql).rejects.toMatchObject({
        name: 'SqlRejected',
        code: expect.stringMatching(/forbidden_table|file_access|forbidden_function|only_select/u),
      });
    }
    // …and the scope is still in force afterwards.
    expect(column(await sandbox.query('SELECT count(*) AS n FROM telemetry', acme), 'n')).toEqual([
      EXPECTED.telemetry.acme,
    ]);
  });

  it('refuses a scope that is not a company id (a programming error, not a user one)', async () => {
    await expect(sandbox.query('SELECT 1', { scope: { company: "x' OR true --" } })).rejects.toThrow(TypeError);
  });
});
