import fs from 'node:fs';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const t = (s: number) => new Date(Date.UTC(2026, 8, 1, 0, 0, s)).toISOString();
const lat = (s: number) => (22.54 + s * 0.00009).toFixed(6);
const good = (
  s: number,
  extra: Partial<Record<'lat' | 'lon' | 'speed' | 'mode' | 'company' | 'vehicle' | 'ts', string>> = {},
) =>
  [
    extra.ts ?? t(s),
    extra.company ?? 'acme',
    extra.vehicle ?? 'V1',
    extra.lat ?? lat(s),
    extra.lon ?? '114.05',
    extra.speed ?? '10',
    extra.mode ?? 'autonomous',
  ].join(',');

/** One row per defect class, between good rows; the expected reason beside each. */
const CASES: [string, string | null][] = [
  [good(0), null],
  [good(1), null],
  [good(2, { lat: '95', lon: '114.05' }), 'lat_out_of_range'],
  [good(3, { lon: '200' }), 'lon_out_of_range'],
  [good(4, { lat: '0', lon: '0' }), 'null_island'],
  [good(5, { lat: '114.05', lon: '22.54' }), 'lat_lon_swapped'],
  [good(6, { lat: '' }), 'missing_field'],
  [good(7, { lat: 'abc' }), 'bad_number'],
  [good(8, { ts: 'not-a-time' }), 'bad_timestamp'],
  [good(9, { ts: '' }), 'missing_field'],
  [good(10, { speed: '-5' }), 'speed_out_of_range'],
  [good(11, { speed: 'fast' }), 'bad_number'],
  [good(12, { lat: (22.54 + 0.05).toFixed(6) }), 'position_jump'],
  [good(13), null],
  [good(13), 'duplicate_timestamp'],
  [good(12), 'timestamp_backwards'],
  [good(14, { mode: 'banana' }), 'unknown_mode'],
  [`${good(15)},surplus`, 'malformed_row'],
  [good(16, { company: 'a/b' }), 'bad_identifier'],
  [good(17, { vehicle: '' }), 'missing_field'],
  [good(18, { mode: '人工驾驶' }), null],
  [good(19).split(',').slice(0, 4).join(','), 'truncated_row'],
];

describe('validation and quarantine', () => {
  it('quarantines each defect class with its reason, line, offset and raw text, and the counts add up', async () => {
    const text = `ts,company_id,vehicle_id,lat,lon,speed_mps,mode\n${CASES.map(([row]) => row).join('\n')}`;
    const file = writeFixture(dir, 'defects.csv', text);
    const data = path.join(dir, 'defects');
    const summary = await ingestPaths([file], { dataDir: data });
    const f = summary.files[0];
    const expected: Record<string, number> = {};
    for (const [, reason] of CASES) if (reason) expected[reason] = (expected[reason] ?? 0) + 1;
    const bad = CASES.filter(([, r]) => r).length;
    expect(f).toMatchObject({
      status: 'ingested',
      rows_in: CASES.length,
      rows_stored: CASES.length - bad,
      rows_quarantined: bad,
    });
    expect(f?.quarantine_by_reason).toEqual(expected);
    expect(summary.rows_in).toBe(summary.rows_stored + summary.rows_quarantined);

    const q = await query(
      `SELECT reason, line, byte_offset, raw, source_file, detail FROM ${lakeTable(data, 'quarantine')} ORDER BY line`,
    );
    expect(q.map((r) => r.reason)).toEqual(CASES.filter(([, r]) => r).map(([, r]) => r));
    const bytes = fs.readFileSync(file);
    for (const r of q) {
      const line = Number(r.line);
      expect(r.raw).toBe(CASES[line - 2]?.[0]);
      expect(r.source_file).toBe('defects.csv');
      expect(
        bytes
          .subarray(Number(r.byte_offset))
          .toString('utf8')
          .startsWith(r.raw as string),
      ).toBe(true);
      expect((r.detail as string).length).toBeGreaterThan(5);
    }
    const stored = await query(`SELECT count(*) AS n, count(DISTINCT ts) AS d FROM ${lakeTable(data, 'telemetry')}`);
    expect(stored[0]).toEqual({ n: String(CASES.length - bad), d: String(CASES.length - bad) });
  });

  it('records the same counts in the catalog', async () => {
    const data = path.join(dir, 'defects');
    const rows = await query(
      `SELECT rows_in, rows_stored, rows_quarantined, status FROM read_json('${data}/catalog/sources/*.json')`,
    );
    const bad = CASES.filter(([, r]) => r).length;
    expect(rows).toEqual([
      {
        rows_in: String(CASES.length),
        rows_stored: String(CASES.length - bad),
        rows_quarantined: String(bad),
        status: 'ingested',
      },
    ]);
  });
});

describe('files that are not logs', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    [
      'picture.csv',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
      /picture\.csv \(byte 0\): binary file/u,
    ],
    ['empty.csv', '', /empty\.csv.*empty file/u],
    ['notes.csv', 'shopping list\neggs\nmilk\n', /notes\.csv \(line 1\): no timestamp column/u],
    ['nopos.csv', 'ts,vehicle_id,company_id\n2026-09-01T00:00:00Z,V,c\n', /no latitude\/longitude columns/u],
    ['novehicle.csv', 'ts,lat,lon\n2026-09-01T00:00:00Z,22.5,114\n', /no company column/u],
  ];
  for (const [name, content, message] of cases) {
    it(`fails ${name} as a whole with a clear error and writes nothing`, async () => {
      const file = writeFixture(dir, `bad/${name}`, content);
      const data = path.join(dir, `bad-${name}`);
      const summary = await ingestPaths([file], { dataDir: data });
      expect(summary.failed).toBe(1);
      expect(summary.files[0]?.status).toBe('failed');
      expect(summary.files[0]?.error).toMatch(message);
      expect(fs.readdirSync(path.join(data, 'lake'))).toEqual([]);
      expect(fs.readdirSync(path.join(data, 'staging')).filter((f) => !f.startsWith('.'))).toEqual([]);
    });
  }

  it('fails a truncated Arrow stream with the byte position and writes nothing', async () => {
    const n = 50_000;
    const table = new arrow.Table({
      ts: arrow.makeVector({
        type: new arrow.TimestampMicrosecond('UTC'),
        data: BigInt64Array.from({ length: n }, (_, i) => 1_788_220_800_000_000n + BigInt(i) * 100_000n),
      }),
      company_id: arrow.vectorFromArray(Array(n).fill('acme'), new arrow.Utf8()),
      vehicle_id: arrow.vectorFromArray(Array(n).fill('A'), new arrow.Utf8()),
      lat: arrow.makeVector(Float64Array.from({ length: n }, (_, i) => 22.5 + i * 1e-6)),
      lon: arrow.makeVector(new Float64Array(n).fill(114)),
    });
    const bytes = arrow.tableToIPC(table, 'stream');
    const file = writeFixture(dir, 'bad/cut.arrow', bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const data = path.join(dir, 'bad-cut');
    const summary = await ingestPaths([file], { dataDir: data });
    expect(summary.files[0]?.status).toBe('failed');
    expect(summary.files[0]?.error).toMatch(/cut\.arrow \(byte \d+\): unreadable Arrow IPC/u);
    expect(fs.readdirSync(path.join(data, 'lake'))).toEqual([]);
  });

  it('keeps going after a bad file and ingests the good ones', async () => {
    const goodFile = writeFixture(
      dir,
      'mixed/good.csv',
      `ts,company_id,vehicle_id,lat,lon\n${t(0)},acme,M1,22.54,114.05\n`,
    );
    const badFile = writeFixture(dir, 'mixed/bad.csv', 'hello\n');
    const data = path.join(dir, 'mixed-data');
    const summary = await ingestPaths([path.dirname(goodFile)], { dataDir: data });
    expect(summary.files.map((f) => [f.file, f.status])).toEqual([
      ['bad.csv', 'failed'],
      ['good.csv', 'ingested'],
    ]);
    expect(badFile).toBeTruthy();
    expect(summary.rows_stored).toBe(1);
  });
});
