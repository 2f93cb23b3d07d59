import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistrictIndex } from '../../services/reference/districts/district-index.js';
import { haversineM } from '../../services/reference/geo/haversine.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { lakeTable, query, SHARED_DATA, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const iso = (ms: number) => new Date(ms).toISOString();

describe('derived columns', () => {
  it('splits drives at gaps, and derives distance, time step, acceleration from speed, and jerk', async () => {
    const start = Date.UTC(2026, 8, 1, 15, 59, 50); // 23:59:50 in Beijing: the drive crosses local midnight
    const rows: string[] = [];
    // 20 samples at 1 Hz: +1 m/s each second for 10 s, then constant speed; a 10-minute gap; 3 more samples.
    for (let i = 0; i < 20; i++)
      rows.push(`${iso(start + i * 1000)},acme,V1,${(22.54 + i * 0.0001).toFixed(6)},114.05,${Math.min(i, 9)}`);
    const later = start + 19_000 + 600_000;
    for (let i = 0; i < 3; i++)
      rows.push(`${iso(later + i * 1000)},acme,V1,${(22.55 + i * 0.0001).toFixed(6)},114.05,5`);
    const file = writeFixture(dir, 'drive.csv', `ts,company_id,vehicle_id,lat,lon,speed_mps\n${rows.join('\n')}\n`);
    const data = path.join(dir, 'drive');
    await ingestPaths([file], { dataDir: data });
    const out = await query(
      `SELECT drive_id, seg_m, seg_pos_m, dt_s, accel_lon_mps2, jerk_mps3, heading_deg, local_date::VARCHAR AS local_date, date::VARCHAR AS date FROM ${lakeTable(data, 'telemetry')} ORDER BY ts`,
    );
    expect(out).toHaveLength(23);
    const drives = [...new Set(out.map((r) => r.drive_id))];
    expect(drives).toEqual([
      'V1-20260901T155950Z',
      `V1-${iso(later)
        .replace(/[-:]/gu, '')
        .replace(/\.\d+Z$/u, 'Z')}`,
    ]);
    // At 1 Hz each window (±0.25 s, at least one neighbour each side) is the sample and its neighbours; at the
    // drive's first sample it is one-sided.
    expect(out[0]).toMatchObject({ seg_m: 0, dt_s: null, accel_lon_mps2: 1, local_date: '2026-09-01' });
    expect(out[15]).toMatchObject({ local_date: '2026-09-02', date: '2026-09-02' });
    expect(out[5]?.dt_s).toBe(1);
    // Distance is the trapezoid of logged speed (4 → 5 m/s over 1 s); the positions' haversine is kept beside it.
    expect(out[5]?.seg_m).toBe(4.5);
    expect(out[5]?.seg_pos_m).toBeCloseTo(haversineM(22.5404, 114.05, 22.5405, 114.05), 6);
    expect(out[5]?.accel_lon_mps2).toBeCloseTo(1, 9);
    expect(out[5]?.heading_deg).toBeCloseTo(0, 3);
    // Speeds 8, 9, 9 around sample 9: slope 0.5; then 0. Jerk differentiates acceleration low-passed with
    // τ = 0.5 s (α = 1/1.5 at 1 Hz): 0 while acceleration is constant, then 1 → 0.5 → 0 decays geometrically.
    const accels = out.map((r) => r.accel_lon_mps2 as number | null);
    expect(accels.slice(8, 12)).toEqual([1, 0.5, 0, 0]);
    const jerks = out.map((r) => r.jerk_mps3 as number | null);
    expect(jerks[0]).toBeNull();
    expect(jerks.slice(1, 9).every((j) => Math.abs(j ?? NaN) < 1e-12)).toBe(true);
    expect(jerks[9]).toBeCloseTo(-1 / 3, 9);
    expect(jerks[10]).toBeCloseTo(-4 / 9, 9);
    expect(jerks[11]).toBeCloseTo(-4 / 27, 9);
    expect(out[20]).toMatchObject({ seg_m: 0, dt_s: null });
  });

  it('derives speed and heading from positions when the log has none', async () => {
    const start = Date.UTC(2026, 8, 1);
    const rows = [0, 1, 2].map((i) => `${iso(start + i * 1000)},acme,V2,22.54,${(114.05 + i * 0.0001).toFixed(6)}`);
    const file = writeFixture(dir, 'nospeed.csv', `ts,company_id,vehicle_id,lat,lon\n${rows.join('\n')}\n`);
    const data = path.join(dir, 'nospeed');
    await ingestPaths([file], { dataDir: data });
    const out = await query(`SELECT speed_mps, heading_deg FROM ${lakeTable(data, 'telemetry')} ORDER BY ts`);
    const expected = haversineM(22.54, 114.05, 22.54, 114.0501);
    expect(out[1]?.speed_mps).toBeCloseTo(expected, 6);
    expect(out[1]?.heading_deg).toBeCloseTo(90, 2);
  });

  const districtsFile = path.join(SHARED_DATA, 'shenzhen/districts-wgs84.geojson');
  it('names the district of each sample from a GeoJSON of polygons', async () => {
    const index = DistrictIndex.fromFile(districtsFile, 'qh');
    expect(index.names).toHaveLength(10);
    // Futian CBD, Nanshan (Shenzhen Bay), Luohu (Dongmen), and the sea south of Hong Kong
    const points = [
      [22.5431, 114.0579, '福田'],
      [22.5176, 113.9437, '南山'],
      [22.5476, 114.1183, '罗湖'],
      [22.2, 114.2, null],
    ] as const;
    const rows = points.map(([la, lo], i) => `${iso(Date.UTC(2026, 8, 1) + i * 3_600_000)},acme,D${i},${la},${lo}`);
    const file = writeFixture(dir, 'districts.csv', `ts,company_id,vehicle_id,lat,lon\n${rows.join('\n')}\n`);
    const data = path.join(dir, 'districts');
    await ingestPaths([file], { dataDir: data, districts: index });
    const out = await query(`SELECT district FROM ${lakeTable(data, 'telemetry')} ORDER BY ts`);
    expect(out.map((r) => r.district)).toEqual(points.map((p) => p[2]));
  });
});
