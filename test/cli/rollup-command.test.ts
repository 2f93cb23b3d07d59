import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => `2026-09-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z,acme,V1,${(22.54 + i * 1e-4).toFixed(5)},114.05`).join('\n');

describe('avlog rollup (CLI)', () => {
  it('gives a source ingested without a rollup its rollup files, in the catalog, once', async () => {
    const data = path.join(dir, 'data');
    const log = writeFixture(dir, 'in/drive.csv', `ts,company_id,vehicle_id,lat,lon\n${rows(150)}\n`);
    expect((await runCli(['ingest', '--data', data, log])).code).toBe(0);
    const paths = lakePaths(data);
    const catalog = new Catalog(paths);
    const [entry] = catalog.list();
    const rollups = entry?.files.filter((f) => f.startsWith('rollup/')) ?? [];
    expect(rollups.length).toBeGreaterThan(0);
    if (!entry) return;
    // the lake as an older avlog wrote it
    for (const f of rollups) fs.rmSync(path.join(paths.lake, f));
    catalog.put({ ...entry, files: entry.files.filter((f) => !f.startsWith('rollup/')) });

    const r = await runCli(['rollup', '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sources: 1, files: rollups.length, busy: 0 });
    expect(new Catalog(paths).get(entry.sha256)?.files).toEqual(entry.files);
    for (const f of rollups) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(true);

    const again = await runCli(['rollup', '--data', data]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^rollup: 0 source\(s\)/u);
  });
});
