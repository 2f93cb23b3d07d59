import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const HEADER = ['ts', 'company_id', 'vehicle_id', 'lat', 'lon', 'speed_mps', 'mode'];
const day1 = Date.UTC(2026, 2, 1, 2, 0, 0);
/** `n` samples at 1 Hz of one drive of vehicle S1 starting at `start`, as CSV fields in HEADER order. */
const drive = (start: number, n: number, vehicle = 'S1') =>
  Array.from({ length: n }, (_, i) => [
    new Date(start + i * 1000).toISOString(),
    'acme',
    vehicle,
    (22.54 + i * 0.0001).toFixed(6),
    '114.05',
    '11',
    'autonomous',
  ]);
const csv = (rows: string[][], order = HEADER.map((_, i) => i), eol = '\n') =>
  [order.map((i) => HEADER[i]), ...rows.map((r) => order.map((i) => r[i]))].map((r) => r.join(',')).join(eol) + eol;

async function lakeCounts(data: string) {
  const [t] = await query(
    `SELECT count(*) AS n, count(DISTINCT (vehicle_id, ts)) AS distinct_samples FROM ${lakeTable(data, 'telemetry')}`,
  );
  return t;
}

describe('the identity of a sample is (vehicle, ts)', () => {
  const rows = drive(day1, 200);

  it('does not store a CRLF copy or a copy with its columns reordered, naming the source that holds them', async () => {
    const data = path.join(dir, 'copies');
    const original = writeFixture(dir, 'copies/drive.csv', csv(rows));
    const crlf = writeFixture(dir, 'copies/drive-crlf.csv', csv(rows, undefined, '\r\n'));
    const reordered = writeFixture(dir, 'copies/drive-reordered.csv', csv(rows, [6, 2, 0, 4, 3, 1, 5]));
    const s = await ingestPaths([original, crlf, reordered], { dataDir: data });
    expect(s.files.map((f) => [f.status, f.rows_in, f.rows_stored, f.rows_quarantined])).toEqual([
      ['ingested', 200, 200, 0],
      ['ingested', 200, 0, 200],
      ['ingested', 200, 0, 200],
    ]);
    expect(s.files[1]?.quarantine_by_reason).toEqual({ duplicate_sample: 200 });
    expect(await lakeCounts(data)).toEqual({ n: '200', distinct_samples: '200' });
    const [q] = await query(
      `SELECT reason, detail FROM ${lakeTable(data, 'quarantine')} WHERE source_file = 'drive-crlf.csv' LIMIT 1`,
    );
    expect(q?.reason).toBe('duplicate_sample');
    expect(String(q?.detail)).toContain('already stored from drive.csv');
  });

  it('stores exactly the new samples of a partial overlap, in a later run, as one drive', async () => {
    const data = path.join(dir, 'partial');
    await ingestPaths([writeFixture(dir, 'partial/first-half.csv', csv(rows.slice(0, 100)))], { dataDir: data });
    const s = await ingestPaths([writeFixture(dir, 'partial/whole.csv', csv(rows))], { dataDir: data });
    expect(s.files[0]).toMatchObject({
      rows_in: 200,
      rows_stored: 100,
      quarantine_by_reason: { duplicate_sample: 100 },
    });
    expect(await lakeCounts(data)).toEqual({ n: '200', distinct_samples: '200' });
    const [d] = await query(`SELECT count(DISTINCT drive_id) AS drives FROM ${lakeTable(data, 'telemetry')}`);
    expect(d?.drives).toBe('1');
  });

  it('finds an overlap far from the vehicle’s last stored sample', async () => {
    const data = path.join(dir, 'far');
    const month = drive(day1 + 30 * 86_400_000, 50);
    await ingestPaths([writeFixture(dir, 'far/march-1.csv', csv(rows))], { dataDir: data });
    await ingestPaths([writeFixture(dir, 'far/march-31.csv', csv(month))], { dataDir: data });
    // The first drive again, a month before the last stored sample, in another file with 10 new samples after it.
    const again = [
      ...rows,
      ...drive(day1 + 200_000, 10).map((r, i) => [
        r[0] ?? '',
        'acme',
        'S1',
        (22.56 + i * 1e-4).toFixed(6),
        '114.05',
        '11',
        'autonomous',
      ]),
    ];
    const s = await ingestPaths([writeFixture(dir, 'far/march-1-again.csv', csv(again))], { dataDir: data });
    expect(s.files[0]).toMatchObject({
      rows_in: 210,
      rows_stored: 10,
      quarantine_by_reason: { duplicate_sample: 200 },
    });
    expect(await lakeCounts(data)).toEqual({ n: '260', distinct_samples: '260' });
  });

  it('keeps other vehicles’ samples at the same instants', async () => {
    const data = path.join(dir, 'vehicles');
    await ingestPaths([writeFixture(dir, 'vehicles/s1.csv', csv(rows))], { dataDir: data });
    const s = await ingestPaths([writeFixture(dir, 'vehicles/s2.csv', csv(drive(day1, 200, 'S2')))], { dataDir: data });
    expect(s.files[0]).toMatchObject({ rows_stored: 200, rows_quarantined: 0 });
  });
});

describe('timestamps outside the plausible window', () => {
  it('are quarantined without breaking the drive around them', async () => {
    const data = path.join(dir, 'range');
    const rows = drive(day1, 100);
    const withOutliers = [
      ...rows.slice(0, 50),
      ['2100-01-01T00:00:00Z', ...(rows[50] ?? []).slice(1)],
      ['9999-12-31T23:59:59Z', ...(rows[50] ?? []).slice(1)],
      ['1999-12-31T23:59:59Z', ...(rows[50] ?? []).slice(1)],
      ...rows.slice(50),
    ];
    const s = await ingestPaths([writeFixture(dir, 'range/drive.csv', csv(withOutliers))], { dataDir: data });
    expect(s.files[0]).toMatchObject({
      rows_in: 103,
      rows_stored: 100,
      quarantine_by_reason: { timestamp_out_of_range: 3 },
    });
    const [t] = await query(
      `SELECT count(DISTINCT drive_id) AS drives, max(ts)::VARCHAR AS last FROM ${lakeTable(data, 'telemetry')}`,
    );
    expect(t).toEqual({ drives: '1', last: '2026-03-01 02:01:39+00' });
  });
});
