import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctor } from '../../services/ingest/lake/doctor.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { AVLOG_BIN, runCli } from '../helpers/cli.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';
import { driveCsv } from '../helpers/drive-csv.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const { rows, csv } = driveCsv(Date.UTC(2026, 6, 1, 1, 0, 0));

describe('avlog doctor', () => {
  it('finds a missing file, an orphan and leftovers; --repair moves the orphan aside and clears the rest', async () => {
    const data = path.join(dir, 'doc');
    const paths = lakePaths(data);
    await ingestPaths([writeFixture(dir, 'doc-in/a.csv', csv(rows(0, 50, 'D1')))], { dataDir: data });
    await ingestPaths([writeFixture(dir, 'doc-in/b.csv', csv(rows(0, 50, 'D2')))], { dataDir: data });
    expect(await doctor(data)).toMatchObject({ sources: 2, telemetry_rows: 100, findings: [] });
    const [a, b] = new Catalog(paths).list().sort((x, y) => x.file.localeCompare(y.file));
    const aFile = a?.files.find((f) => f.startsWith('telemetry')) ?? '';
    const bFile = b?.files.find((f) => f.startsWith('telemetry')) ?? '';
    fs.rmSync(path.join(paths.lake, aFile));
    fs.copyFileSync(
      path.join(paths.lake, bFile),
      path.join(path.dirname(path.join(paths.lake, bFile)), 'stray.parquet'),
    );
    fs.mkdirSync(path.join(paths.staging, 'abababababababab'), { recursive: true });
    const r = await doctor(data);
    expect(r.findings.map((f) => f.check).sort()).toEqual([
      'duplicate_samples',
      'missing_file',
      'orphan_file',
      'staging',
    ]);
    expect(r.findings.find((f) => f.check === 'duplicate_samples')?.detail).toMatch(
      /^50 \(vehicle, ts\) stored more than once, e\.g\. acme\/D2 at/u,
    );
    const repaired = await runCli(['doctor', '--data', data, '--repair']);
    expect(repaired.stdout).toMatch(/repaired orphan_file: .*stray\.parquet/u);
    expect(fs.existsSync(path.join(data, 'damaged', path.dirname(bFile), 'stray.parquet'))).toBe(true);
    const after = await doctor(data);
    expect(after.findings.map((f) => f.check)).toEqual(['missing_file']);
  });
});

/** A small deterministic PRNG (mulberry32), so the sweep's moments are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('kill -9 at random moments of an ingest', () => {
  it('leaves a lake where, after recovery and a full run, every sample is stored exactly once', async () => {
    const data = path.join(dir, 'killed');
    const files = [
      writeFixture(dir, 'kill-in/a.csv', csv(rows(0, 1500, 'K1'))),
      writeFixture(dir, 'kill-in/b.csv', csv(rows(1200, 2700, 'K1'))),
      writeFixture(dir, 'kill-in/c.csv', csv(rows(0, 1500, 'K2'))),
    ];
    const random = prng(11);
    for (let i = 0; i < 20; i++) {
      const child = spawn(process.execPath, [AVLOG_BIN, 'ingest', '--data', data, ...files], { stdio: 'ignore' });
      // The moment: anywhere from start-up to the last commit (a whole run takes about a second here).
      await new Promise((resolve) => setTimeout(resolve, 150 + random() * 1100));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));
    }
    const last = await ingestPaths(files, { dataDir: data });
    expect(last.failed).toBe(0);
    const [t] = await query(
      `SELECT count(*) AS n, count(DISTINCT (vehicle_id, ts)) AS distinct_samples FROM ${lakeTable(data, 'telemetry')}`,
    );
    expect(t).toEqual({ n: '4200', distinct_samples: '4200' });
    const report = await doctor(data);
    expect(report.findings).toEqual([]);
    expect(report.telemetry_rows).toBe(4200);
  }, 60_000);
});
