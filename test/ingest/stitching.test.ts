import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const HEADER = 'ts,company_id,vehicle_id,lat,lon,speed_mps,mode';
const start = Date.UTC(2026, 8, 1, 2, 0, 0);
/** 300 samples at 1 Hz of one drive, moving north. */
const samples = Array.from(
  { length: 300 },
  (_, i) =>
    `${new Date(start + i * 1000).toISOString()},acme,S1,${(22.54 + i * 0.0001).toFixed(6)},114.05,11,autonomous`,
);
const csv = (rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

describe('a drive split into several files', () => {
  it('becomes one drive on one timeline, with the overlap de-duplicated', async () => {
    // part 1: 0–99, part 2: 100–219, part 3: 200–299 (overlaps part 2 by 20 samples)
    const parts = [samples.slice(0, 100), samples.slice(100, 220), samples.slice(200)];
    const folder = path.join(dir, 'split');
    parts.forEach((p, i) => writeFixture(folder, `drive.part${i + 1}.csv`, csv(p)));
    const whole = writeFixture(dir, 'whole/drive.csv', csv(samples));
    const splitData = path.join(dir, 'split-data');
    const s = await ingestPaths([folder], { dataDir: splitData });
    expect(s.files.map((f) => [f.rows_in, f.rows_stored, f.rows_quarantined])).toEqual([
      [100, 100, 0],
      [120, 120, 0],
      [100, 80, 20],
    ]);
    expect(s.files[2]?.quarantine_by_reason).toEqual({ duplicate_sample: 20 });
    const wholeData = path.join(dir, 'whole-data');
    await ingestPaths([whole], { dataDir: wholeData });
    const q = (d: string) =>
      query(
        `SELECT count(DISTINCT drive_id) AS drives, count(*) AS n, round(sum(seg_m), 6) AS m, count(*) FILTER (WHERE dt_s IS NULL) AS starts FROM ${lakeTable(d, 'telemetry')}`,
      );
    const [split] = await q(splitData);
    const [one] = await q(wholeData);
    expect(split).toEqual(one);
    expect(split).toMatchObject({ drives: '1', n: '300', starts: '1' });
  });

  it('continues across separate ingest runs through the catalog', async () => {
    const data = path.join(dir, 'runs-data');
    await ingestPaths([writeFixture(dir, 'runs/a.csv', csv(samples.slice(0, 150)))], { dataDir: data });
    await ingestPaths([writeFixture(dir, 'runs/b.csv', csv(samples.slice(150)))], { dataDir: data });
    const [r] = await query(
      `SELECT count(DISTINCT drive_id) AS drives, count(*) FILTER (WHERE dt_s IS NULL) AS starts FROM ${lakeTable(data, 'telemetry')}`,
    );
    expect(r).toEqual({ drives: '1', starts: '1' });
  });

  it('starts a new drive when the next file begins after the drive gap', async () => {
    const later = samples
      .slice(0, 50)
      .map((l) => l.replace(/^[^,]+/u, (ts) => new Date(Date.parse(ts) + 3_600_000).toISOString()));
    const data = path.join(dir, 'gap-data');
    await ingestPaths(
      [writeFixture(dir, 'gap/a.csv', csv(samples.slice(0, 50))), writeFixture(dir, 'gap/b.csv', csv(later))],
      { dataDir: data },
    );
    const [r] = await query(`SELECT count(DISTINCT drive_id) AS drives FROM ${lakeTable(data, 'telemetry')}`);
    expect(r).toEqual({ drives: '2' });
  });
});
