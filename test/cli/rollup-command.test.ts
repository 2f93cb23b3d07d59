import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { runCli } from '../helpers/cli.js';
import { Staging } from '../../services/ingest/lake/staging.js';
import { query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const rows = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `2026-09-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z,acme,V1,${(22.54 + i * 1e-4).toFixed(5)},114.05`,
  ).join('\n');

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
    expect(JSON.parse(r.stdout)).toMatchObject({ sources: 1, files: rollups.length });
    expect(new Catalog(paths).get(entry.sha256)?.files).toEqual(entry.files);
    for (const f of rollups) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(true);

    const again = await runCli(['rollup', '--data', data]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^rollup: 0 source\(s\)/u);
  });

  /** Σ n over the lake's rollup files: each telemetry sample once (150 in the log). */
  const samples = async (lake: string) =>
    Number(
      (await query(`SELECT sum(n) AS n FROM read_parquet('${path.join(lake, 'rollup', '**', '*.parquet')}')`))[0]?.n,
    );

  /** Renames the source's rollup files to names a rebuild does not write (an older avlog's), as the catalog lists them. */
  function oldNames(data: string): { renamed: string[]; current: string[] } {
    const paths = lakePaths(data);
    const catalog = new Catalog(paths);
    const [entry] = catalog.list();
    if (!entry) throw new Error('the first test ingests the log');
    const current = entry.files.filter((f) => f.startsWith('rollup/'));
    const renamed = current.map((f) => path.join(path.dirname(f), `part-old-${path.basename(f)}`));
    current.forEach((f, i) => fs.renameSync(path.join(paths.lake, f), path.join(paths.lake, renamed[i] as string)));
    catalog.put({ ...entry, files: [...entry.files.filter((f) => !f.startsWith('rollup/')), ...renamed].sort() });
    return { renamed, current };
  }

  it('--rebuild replaces rollup files of other names: no sample counted twice', async () => {
    const data = path.join(dir, 'data');
    const paths = lakePaths(data);
    const { renamed, current } = oldNames(data);
    const r = await runCli(['rollup', '--rebuild', '--json', '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of renamed) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(false);
    for (const f of current) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(true);
    expect(await samples(paths.lake)).toBe(150);
  });

  it('a rebuild that crashed after journalling its commit is finished by recovery, old files removed', async () => {
    const data = path.join(dir, 'data');
    const paths = lakePaths(data);
    const { renamed, current } = oldNames(data);
    const [entry] = new Catalog(paths).list();
    if (!entry) throw new Error('the first test ingests the log');
    // What `avlog rollup --rebuild` leaves when it dies right after writing its journal: staged files, nothing renamed.
    const staging = Staging.claim(paths, entry.source_id, 'test');
    for (const [i, f] of current.entries()) {
      fs.mkdirSync(path.dirname(path.join(staging.dir, f)), { recursive: true });
      fs.copyFileSync(path.join(paths.lake, renamed[i] as string), path.join(staging.dir, f));
    }
    staging.journal(
      { ...entry, files: [...entry.files.filter((f) => !f.startsWith('rollup/')), ...current].sort() },
      renamed,
    );
    expect(await samples(paths.lake)).toBe(150);

    Staging.recover(paths);
    for (const f of renamed) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(false);
    for (const f of current) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(true);
    expect(await samples(paths.lake)).toBe(150);
    expect(new Catalog(paths).get(entry.sha256)?.files.filter((f) => f.startsWith('rollup/'))).toEqual(current);
    expect(fs.existsSync(staging.dir)).toBe(false);
  });

  it('a commit journal naming a file outside the lake is refused', () => {
    const paths = lakePaths(path.join(dir, 'data'));
    const [entry] = new Catalog(paths).list();
    if (!entry) throw new Error('the first test ingests the log');
    const staging = Staging.claim(paths, entry.source_id, 'test');
    try {
      expect(() => staging.journal(entry, ['../catalog/x.json'])).toThrow(/not a file inside the lake/u);
    } finally {
      staging.discard();
    }
  });
});
