import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { cellJson } from '../../services/lake/sql/cell-values.js';
import { SqlSandbox } from '../../services/lake/sql/sandbox.js';
import { tempDir } from '../helpers/lake.js';
import { buildLake, EXPECTED } from './sql/lake-fixture.js';

let cleanup: () => void;
let db: LakeDb;
let repo: LakeRepository;
let sandbox: SqlSandbox;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  const data = await buildLake(dir);
  db = await LakeDb.open(data, { connections: 1 });
  repo = new LakeRepository(db);
  sandbox = await SqlSandbox.open(data);
});

afterAll(async () => {
  await db?.close();
  sandbox?.close();
  cleanup();
});

/** Each row as DuckDB's JSON text, sorted: the same query through the API's repository and through the sandbox. */
async function both(company: string, sql: string): Promise<{ api: string[]; sandbox: string[] }> {
  const wrapped = `SELECT to_json(t)::VARCHAR AS j FROM (${sql}) t ORDER BY j`;
  const api = (await repo.query({ company, role: 'engineer' }, wrapped)).map((r) => String(r.j));
  const result = await sandbox.query(wrapped, { scope: { company } });
  const column = result.columns[0];
  if (!column) throw new Error('no column');
  const rows = Array.from({ length: result.rowCount }, (_, r) => String(cellJson(column, r)));
  return { api, sandbox: rows };
}

describe('one company scope for the API and the SQL sandbox', () => {
  it('shows a company the quarantined lines only of sources that wrote nothing but its rows', async () => {
    // fleet.csv mixes acme and beta: its rejected line could be either's, so neither sees it, through either door.
    const acme = await both('acme', 'SELECT source_file, reason FROM quarantine');
    expect(acme.api.map((j) => (JSON.parse(j) as { source_file: string }).source_file)).toEqual(['acme.csv']);
    expect(acme.sandbox).toEqual(acme.api);
    const beta = await both('beta', 'SELECT source_file FROM quarantine');
    expect(beta).toEqual({ api: [], sandbox: [] });
    const all = await repo.query({ role: 'regulator' }, 'SELECT count(*)::INTEGER AS n FROM quarantine');
    expect(all[0]?.n).toBe(EXPECTED.quarantine);
  });

  it('shows the same rows of every view through both doors', async () => {
    for (const company of ['acme', 'beta', 'nobody']) {
      for (const view of ['telemetry', 'events', 'quarantine', 'sources']) {
        const r = await both(company, `SELECT * FROM ${view}`);
        expect(r.sandbox, `${company} ${view}`).toEqual(r.api);
      }
    }
    const acme = await both('acme', 'SELECT file FROM sources');
    // the mixed sources (fleet.csv, drive.events.csv) count the other company's rows too: not shown
    expect(acme.api.map((j) => (JSON.parse(j) as { file: string }).file)).toEqual(['acme.csv']);
    const telemetry = await both('beta', 'SELECT DISTINCT company_id FROM telemetry');
    expect(telemetry.api).toEqual(['{"company_id":"beta"}']);
  });
});
