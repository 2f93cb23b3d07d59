import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

describe('avlog ingest (CLI)', () => {
  it('prints one JSON object with totals and per-file results', async () => {
    const good = writeFixture(
      dir,
      'in/good.csv',
      'ts,company_id,vehicle_id,lat,lon\n2026-09-01T00:00:00Z,acme,V1,22.54,114.05\n2026-09-01T00:00:01Z,acme,V1,0,0\n',
    );
    const data = path.join(dir, 'data');
    const r = await runCli(['ingest', '--json', '--data', data, good]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown> & { files: Record<string, unknown>[] };
    expect(s).toMatchObject({ rows_in: 2, rows_stored: 1, rows_quarantined: 1, failed: 0 });
    expect(s.files[0]).toMatchObject({
      file: 'good.csv',
      status: 'ingested',
      rows_in: 2,
      rows_stored: 1,
      rows_quarantined: 1,
      quarantine_by_reason: { null_island: 1 },
    });
    const again = await runCli(['ingest', '--data', data, good]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/good\.csv\s+already ingested/u);
  });

  it('exits 1 and names the file when a file is not a log', async () => {
    const bad = writeFixture(dir, 'in2/readme.txt', 'hello world\n');
    const r = await runCli(['ingest', '--json', '--data', path.join(dir, 'data2'), bad]);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as { failed: number; files: { error: string }[] };
    expect(s.failed).toBe(1);
    expect(s.files[0]?.error).toMatch(/^readme\.txt \(line 1\): no timestamp column/u);
  });

  it('exits 2 with a message on bad usage', async () => {
    const r = await runCli(['ingest', '--crs', 'mercator', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--crs must be one of wgs84, gcj02, bd09/u);
    const none = await runCli(['ingest']);
    expect(none.code).toBe(2);
    const missing = await runCli(['ingest', '--data', path.join(dir, 'd3'), path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: no such file or folder/u);
  });
});
