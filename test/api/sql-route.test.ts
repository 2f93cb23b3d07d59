import * as arrow from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ADMIN, PROXY_AUTH } from '../helpers/auth.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
let app: FastifyInstance;
let dataDir: string;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  dataDir = path.join(dir, 'data');
  const rows = [
    'ts,company_id,vehicle_id,lat,lon',
    '2026-09-01T00:00:00Z,acme,A1,22.54,114.05',
    '2026-09-01T00:00:01Z,acme,A1,22.54001,114.05',
    '2026-09-01T00:00:00Z,beta,B1,22.55,114.06',
  ];
  await ingestPaths([writeFixture(dir, 'a.csv', `${rows.join('\n')}\n`)], { dataDir });
  app = await buildApp({ dataDir, auth: PROXY_AUTH });
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

const post = (sql: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/sql',
    payload: { sql },
    // admin unless the test names the caller
    headers: { accept: 'application/json', ...('x-avlog-company' in headers ? {} : ADMIN), ...headers },
  });

describe('POST /api/sql', () => {
  it('answers a SELECT as JSON, CSV or Arrow by Accept', async () => {
    const sql = 'SELECT company_id, count(*) AS n FROM telemetry GROUP BY 1 ORDER BY 1';
    const json = await post(sql);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json<{ rows: unknown[][] }>().rows).toEqual([
      ['acme', 2],
      ['beta', 1],
    ]);
    const csv = await post(sql, { accept: 'text/csv' });
    expect(csv.body.trim().split(/\r?\n/u)).toEqual(['company_id,n', 'acme,2', 'beta,1']);
    const ipc = await post(sql, { accept: 'application/vnd.apache.arrow.stream' });
    expect(ipc.headers['content-type']).toMatch(/arrow/u);
    const table = arrow.tableFromIPC(ipc.rawPayload);
    expect(table.numRows).toBe(2);
    expect(table.getChild('company_id')?.toArray()).toEqual(['acme', 'beta']);
  });

  it('keeps a company-scoped caller inside its company', async () => {
    const r = await post('SELECT DISTINCT company_id FROM telemetry', { 'x-avlog-company': 'beta' });
    expect(r.json<{ rows: unknown[][] }>().rows).toEqual([['beta']]);
  });

  it('refuses file access and writes with a 4xx and stays up', async () => {
    for (const sql of [
      "SELECT * FROM read_csv('/etc/passwd')",
      "COPY telemetry TO '/tmp/x.csv'",
      "ATTACH '/tmp/x.db'",
      'SELECT 1; SELECT 2',
    ]) {
      const r = await post(sql);
      expect(r.statusCode, sql).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, sql).toBeLessThan(500);
      expect(r.json<{ error: { code: string } }>().error.code).toBeTruthy();
    }
    expect((await post('SELECT 42 AS x')).json<{ rows: unknown[][] }>().rows).toEqual([[42]]);
  });

  it('validates the body and names the parameter', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/sql', headers: ADMIN, payload: { query: 'SELECT 1' } });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ error: { parameter: string } }>().error.parameter).toMatch(/sql|query/u);
  });

  it('avlog sql gives the same answer on the command line', async () => {
    const r = await runCli(['sql', '--data', dataDir, '--format', 'csv', 'SELECT count(*) AS n FROM telemetry']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split(/\r?\n/u)).toEqual(['n', '3']);
  });
});
