import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { writeFileAtomic } from '../../services/ingest/lake/atomic-write.js';
import { Catalog, type CatalogEntry } from '../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { Staging } from '../../services/ingest/lake/staging.js';
import { writeBenchCsv } from '../bench/telemetry-csv.js';
import { AVLOG_BIN, runCli } from '../helpers/cli.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const parquetFiles = (root: string): string[] =>
  fs.existsSync(root)
    ? (fs.readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.parquet'))
    : [];

describe('idempotent, partitioned lake', () => {
  it('adds nothing when the same content is ingested again, under any name', async () => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `${new Date(Date.UTC(2026, 8, 1 + (i % 3), 2, 0, i)).toISOString()},co${i % 2},V${i % 3},22.54,114.05`,
    );
    const text = `ts,company_id,vehicle_id,lat,lon\n${rows.join('\n')}\n`;
    const a = writeFixture(dir, 'idem/a.csv', text);
    const b = writeFixture(dir, 'idem/copy-of-a.csv', text);
    const data = path.join(dir, 'idem-data');
    const first = await ingestPaths([a], { dataDir: data });
    expect(first.files[0]?.status).toBe('ingested');
    const filesAfterFirst = parquetFiles(path.join(data, 'lake'));
    const again = await ingestPaths([a, b], { dataDir: data });
    expect(again.files.map((f) => f.status)).toEqual(['already_ingested', 'already_ingested']);
    expect(again.rows_stored).toBe(0);
    expect(parquetFiles(path.join(data, 'lake'))).toEqual(filesAfterFirst);
    const count = await query(`SELECT count(*) AS n FROM ${lakeTable(data, 'telemetry')}`);
    expect(count[0]?.n).toBe('30');
  });

  it('partitions by local date and company, and DuckDB reads back exactly the stored rows', async () => {
    const data = path.join(dir, 'idem-data');
    const parts = parquetFiles(path.join(data, 'lake', 'telemetry'))
      .map((f) => path.dirname(f))
      .sort();
    expect([...new Set(parts)]).toEqual(
      ['2026-09-01', '2026-09-02', '2026-09-03'].flatMap((d) => ['co0', 'co1'].map((c) => `date=${d}/company=${c}`)),
    );
    const byPartition = await query(
      `SELECT date::VARCHAR AS date, company, count(*) AS n FROM ${lakeTable(data, 'telemetry')} GROUP BY ALL ORDER BY ALL`,
    );
    expect(byPartition).toHaveLength(6);
    expect(byPartition.reduce((a, r) => a + Number(r.n), 0)).toBe(30);
    expect(byPartition.every((r) => r.n === '5')).toBe(true);
  });

  it('a changed file is a new source', async () => {
    const data = path.join(dir, 'idem-data');
    const c = writeFixture(
      dir,
      'idem/c.csv',
      `ts,company_id,vehicle_id,lat,lon\n2026-09-05T00:00:00Z,co0,V9,22.54,114.05\n`,
    );
    const r = await ingestPaths([c], { dataDir: data });
    expect(r.files[0]?.status).toBe('ingested');
    expect(new Catalog(lakePaths(data)).list().filter((e) => e.status === 'ingested')).toHaveLength(2);
  });
});

describe('crash safety', () => {
  it('a writer killed mid-write leaves no visible part, and a re-run completes with no duplicates', async () => {
    const big = path.join(dir, 'big.csv');
    const rows = 400_000;
    writeBenchCsv(big, rows, 8);
    const data = path.join(dir, 'crash-data');
    const child = spawn(process.execPath, [AVLOG_BIN, 'ingest', '--json', '--data', data, big], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    const staging = path.join(data, 'staging');
    // Kill once DuckDB has started writing this source's Parquet into its staging workspace.
    for (let waited = 0; waited < 60_000; waited += 10) {
      const writing =
        fs.existsSync(staging) &&
        fs.readdirSync(staging).some((d) => fs.existsSync(path.join(staging, d, 'telemetry')));
      if (writing) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(parquetFiles(path.join(data, 'lake'))).toEqual([]);
    expect(new Catalog(lakePaths(data)).list()).toEqual([]);

    const rerun = await runCli(['ingest', '--json', '--data', data, big]);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { rows_in: number; rows_stored: number; files: { status: string }[] };
    expect(summary.files[0]?.status).toBe('ingested');
    expect(summary.rows_stored).toBe(rows);
    const counts = await query(
      `SELECT count(*) AS n, count(DISTINCT (vehicle_id, ts)) AS d FROM ${lakeTable(data, 'telemetry')}`,
    );
    expect(counts[0]).toEqual({ n: String(rows), d: String(rows) });
    expect(fs.readdirSync(staging).filter((d) => !d.startsWith('.'))).toEqual([]);
  });

  it('finishes a commit that a crash interrupted after its journal was written', async () => {
    const data = path.join(dir, 'journal-data');
    const paths = lakePaths(data);
    const staging = Staging.claim(paths, 'deadbeefdeadbeef', 'test');
    const rel = 'telemetry/date=2026-09-01/company=acme/part-deadbeefdeadbeef-0-0.parquet';
    fs.mkdirSync(path.dirname(path.join(staging.dir, rel)), { recursive: true });
    await query(`COPY (SELECT 1 AS x) TO '${path.join(staging.dir, rel)}' (FORMAT parquet)`);
    const entry: CatalogEntry = {
      source_id: 'deadbeefdeadbeef',
      sha256: 'de'.repeat(32),
      file: 'x.csv',
      bytes: 1,
      format: 'csv',
      kind: 'telemetry',
      encoding: 'utf-8',
      crs: 'wgs84',
      status: 'ingested',
      error: null,
      rows_in: 1,
      rows_stored: 1,
      rows_quarantined: 0,
      quarantine_by_reason: {},
      events_detected: 0,
      ts_min: null,
      ts_max: null,
      ingested_at: new Date().toISOString(),
      files: [rel],
    };
    writeFileAtomic(path.join(staging.dir, 'COMMIT.json'), JSON.stringify(entry));
    fs.writeFileSync(path.join(staging.dir, 'owner.pid'), '999999999');
    Staging.recover(paths);
    expect(fs.existsSync(path.join(paths.lake, rel))).toBe(true);
    expect(new Catalog(paths).get('de'.repeat(32))?.status).toBe('ingested');
    expect(fs.existsSync(staging.dir)).toBe(false);
  });
});
