import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { lakePaths } from '../../services/ingest/lake/paths.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const HEADER = 'ts,company_id,vehicle_id,lat,lon,speed_mps,mode';
const csv = (vehicle: string, day: number, n: number) =>
  `${HEADER}\n${Array.from(
    { length: n },
    (_, i) =>
      `${new Date(Date.UTC(2026, 4, day, 1, 0, i)).toISOString()},acme,${vehicle},${(22.54 + i * 1e-4).toFixed(6)},114.05,11,autonomous`,
  ).join('\n')}\n`;

describe('serve recovers the lake before answering', () => {
  it('finishes a journalled commit, cleans leftovers and moves an unreadable Parquet file aside', async () => {
    const data = path.join(dir, 'data');
    const paths = lakePaths(data);
    await ingestPaths([writeFixture(dir, 'in/a.csv', csv('A1', 1, 60))], { dataDir: data });
    await ingestPaths([writeFixture(dir, 'in/b.csv', csv('B1', 2, 60))], { dataDir: data });
    // A third source whose process died right after writing its commit journal: staged files + COMMIT.json.
    const side = path.join(dir, 'side');
    await ingestPaths([writeFixture(dir, 'in/c.csv', csv('C1', 3, 40))], { dataDir: side });
    const [entry] = new Catalog(lakePaths(side)).list();
    if (!entry) throw new Error('the side lake has its source');
    const work = path.join(paths.staging, entry.source_id);
    for (const f of entry.files) {
      fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
      fs.copyFileSync(path.join(side, 'lake', f), path.join(work, f));
    }
    fs.writeFileSync(path.join(work, 'COMMIT.json'), JSON.stringify(entry));
    // An abandoned workspace, a spill folder and an upload of a dead request.
    fs.mkdirSync(path.join(paths.staging, 'ffffffffffffffff', 'telemetry'), { recursive: true });
    fs.mkdirSync(path.join(paths.staging, '.duckdb-tmp-999999'), { recursive: true });
    const upload = path.join(paths.staging, 'uploads', 'dead');
    fs.mkdirSync(upload, { recursive: true });
    fs.writeFileSync(path.join(upload, 'x.csv'), 'ts\n');
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(path.join(upload, 'x.csv'), old, old);
    fs.utimesSync(upload, old, old);
    // Source B's telemetry file, cut in half by a failing disk.
    const bEntry = new Catalog(paths).list().find((e) => e.file === 'b.csv');
    const bFile = bEntry?.files.find((f) => f.startsWith('telemetry'));
    if (!bFile) throw new Error('b.csv has a telemetry file');
    const bAbs = path.join(paths.lake, bFile);
    fs.truncateSync(bAbs, Math.floor(fs.statSync(bAbs).size / 2));

    const app = await buildApp({ dataDir: data });
    try {
      expect(fs.readdirSync(paths.staging).sort()).toEqual(['uploads']);
      expect(fs.readdirSync(path.join(paths.staging, 'uploads'))).toEqual([]);
      const sources = (await app.inject('/api/sources')).json<{
        sources: { file: string }[];
        damaged: { path: string; source_id: string; error: string; moved_to: string }[];
      }>();
      expect(sources.sources.map((s) => s.file).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
      expect(sources.damaged).toEqual([
        expect.objectContaining({ path: bFile, source_id: bEntry?.source_id, moved_to: path.join('damaged', bFile) }),
      ]);
      expect(sources.damaged[0]?.error).toMatch(
        /truncated or damaged Parquet file: no footer magic at byte offset \d+/u,
      );
      expect(fs.existsSync(path.join(data, 'damaged', bFile))).toBe(true);
      const sql = await app.inject({
        method: 'POST',
        url: '/api/sql',
        payload: { sql: 'SELECT vehicle_id, count(*) AS n FROM telemetry GROUP BY 1 ORDER BY 1' },
        headers: { accept: 'application/json' },
      });
      expect(sql.statusCode, sql.body).toBe(200);
      expect(sql.body).toContain('C1');
      expect(sql.body).not.toContain('B1');
      expect((await app.inject('/api/map/routes')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
