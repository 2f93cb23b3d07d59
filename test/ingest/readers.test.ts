import path from 'node:path';
import * as arrow from 'apache-arrow';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

const HEADER = 'ts,company_id,vehicle_id,lat,lon,speed_mps,heading_deg,mode,ads_version';
const ROWS = [
  '2026-09-01T00:00:00.000Z,acme,V1,22.5400000,114.0500000,10.0,0,autonomous,v1.2',
  '2026-09-01T00:00:00.100Z,acme,V1,22.5400090,114.0500000,10.5,0,autonomous,v1.2',
  '2026-09-01T00:00:00.200Z,acme,V1,22.5400180,114.0500000,11.0,0,manual,v1.2',
];

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

async function ingestOne(name: string, content: string | Uint8Array, opts: Record<string, unknown> = {}) {
  const file = writeFixture(dir, path.join('in', name), content);
  const data = path.join(dir, name.replace(/\W/gu, '_'));
  const summary = await ingestPaths([file], { dataDir: data, ...opts });
  const rows = await query(
    `SELECT vehicle_id, company_id, lat, lon, speed_mps, mode, ads_version, epoch_us(ts) AS ts_us FROM ${lakeTable(data, 'telemetry')} ORDER BY ts`,
  );
  return { summary, rows, data };
}

describe('telemetry readers', () => {
  it('reads UTF-8 CSV with a BOM', async () => {
    const { summary, rows } = await ingestOne('bom.csv', `\uFEFF${HEADER}\n${ROWS.join('\n')}\n`);
    expect(summary.files[0]).toMatchObject({
      status: 'ingested',
      format: 'csv',
      encoding: 'utf-8',
      rows_in: 3,
      rows_stored: 3,
    });
    expect(rows.map((r) => r.mode)).toEqual(['autonomous', 'autonomous', 'manual']);
    expect(rows[1]).toMatchObject({
      vehicle_id: 'V1',
      company_id: 'acme',
      lat: 22.540009,
      speed_mps: 10.5,
      ads_version: 'v1.2',
    });
  });

  it('reads GBK CSV with Chinese headers, km/h and Beijing local time', async () => {
    const text = [
      '时间,公司,车牌,纬度,经度,速度(km/h),驾驶模式',
      '2026-09-01 08:00:00.000,acme,粤B·D1234试,22.54,114.05,36,自动驾驶',
      '2026-09-01 08:00:01.000,acme,粤B·D1234试,22.54009,114.05,72,人工驾驶',
    ].join('\r\n');
    const { summary, rows } = await ingestOne('gbk.csv', iconv.encode(text, 'gbk'));
    expect(summary.files[0]).toMatchObject({ status: 'ingested', encoding: 'gbk', rows_stored: 2 });
    expect(rows[0]).toMatchObject({
      vehicle_id: '粤B·D1234试',
      speed_mps: 10,
      mode: 'autonomous',
      ts_us: String(Date.UTC(2026, 8, 1) * 1000),
    });
    expect(rows[1]).toMatchObject({ speed_mps: 20, mode: 'manual' });
  });

  it('reads cp1252 CSV and honours a declared encoding', async () => {
    const text = `ts,company_id,vehicle_id,lat,lon,mode\n2026-09-01T00:00:00Z,acme,Café’s-1,37.4,-122.1,autonomous\n`;
    const detected = await ingestOne('cp1252.csv', iconv.encode(text, 'win1252'));
    expect(detected.summary.files[0]?.encoding).toBe('windows-1252');
    expect(detected.rows[0]?.vehicle_id).toBe('Café’s-1');
    const declared = await ingestOne('declared.csv', iconv.encode(text.replace('Café’s-1', 'Café’s-2'), 'win1252'), {
      encoding: 'windows-1252',
    });
    expect(declared.rows[0]?.vehicle_id).toBe('Café’s-2');
  });

  it('reads JSONL with epoch milliseconds and aliased keys', async () => {
    const t = Date.UTC(2026, 8, 1);
    const lines = [0, 1, 2].map((i) =>
      JSON.stringify({
        ts_ms: t + i * 100,
        company: 'acme',
        vehicle: 'V9',
        latitude: 22.54 + i * 1e-5,
        lng: 114.05,
        speed_kmh: 36,
        driving_mode: 'auto',
      }),
    );
    const { summary, rows } = await ingestOne('track.jsonl', `${lines.join('\n')}\n`);
    expect(summary.files[0]).toMatchObject({ format: 'jsonl', rows_stored: 3 });
    expect(rows.map((r) => Number(r.ts_us))).toEqual([0, 1, 2].map((i) => (t + i * 100) * 1000));
    expect(rows[2]).toMatchObject({ vehicle_id: 'V9', speed_mps: 10, mode: 'autonomous' });
  });

  for (const kind of ['stream', 'file'] as const) {
    it(`reads Arrow IPC (${kind} format) with a microsecond timestamp column`, async () => {
      const t0 = BigInt(Date.UTC(2026, 8, 1)) * 1000n;
      const n = 5;
      const table = new arrow.Table({
        ts: arrow.makeVector({
          type: new arrow.TimestampMicrosecond('UTC'),
          data: BigInt64Array.from({ length: n }, (_, i) => t0 + BigInt(i) * 100_000n),
        }),
        company_id: arrow.vectorFromArray(Array(n).fill('acme'), new arrow.Utf8()),
        vehicle_id: arrow.vectorFromArray(Array(n).fill('A7'), new arrow.Utf8()),
        lat: arrow.makeVector(Float64Array.from({ length: n }, (_, i) => 22.54 + i * 1e-5)),
        lon: arrow.makeVector(new Float64Array(n).fill(114.05)),
        speed_mps: arrow.makeVector(new Float64Array(n).fill(12)),
        mode: arrow.vectorFromArray(['autonomous', 'autonomous', 'remote', 'remote', 'manual'], new arrow.Utf8()),
      });
      const { summary, rows } = await ingestOne(`track-${kind}.arrow`, arrow.tableToIPC(table, kind));
      expect(summary.files[0]).toMatchObject({ format: 'arrow-ipc', rows_in: n, rows_stored: n });
      expect(rows.map((r) => r.mode)).toEqual(['autonomous', 'autonomous', 'remote', 'remote', 'manual']);
      expect(Number(rows[4]?.ts_us)).toBe(Number(t0) + 400_000);
    });
  }

  it('converts GCJ-02 columns (and --crs gcj02) back to WGS-84', async () => {
    const wgs = { lat: 22.54, lon: 114.05 };
    const gcj = { lat: 22.537267495344622, lon: 114.05510328114472 };
    const named = await ingestOne(
      'gcj.csv',
      `ts,company_id,vehicle_id,lat_gcj02,lon_gcj02\n2026-09-01T00:00:00Z,acme,G1,${gcj.lat},${gcj.lon}\n`,
    );
    expect(named.summary.files[0]?.crs).toBe('gcj02');
    expect(Math.abs((named.rows[0]?.lat as number) - wgs.lat) * 111_000).toBeLessThan(0.05);
    expect(Math.abs((named.rows[0]?.lon as number) - wgs.lon) * 103_000).toBeLessThan(0.05);
    const flagged = await ingestOne(
      'gcj-flag.csv',
      `ts,company_id,vehicle_id,lat,lon\n2026-09-01T00:00:00Z,acme,G2,${gcj.lat},${gcj.lon}\n`,
      { crs: 'gcj02' },
    );
    expect(Math.abs((flagged.rows[0]?.lon as number) - wgs.lon) * 103_000).toBeLessThan(0.05);
  });

  it('takes company and vehicle from options when the log has no such columns', async () => {
    const { rows } = await ingestOne('bare.csv', 'time,lat,lon\n2026-09-01 08:00:00,22.54,114.05\n', {
      company: 'solo',
      vehicle: 'S1',
    });
    expect(rows[0]).toMatchObject({ company_id: 'solo', vehicle_id: 'S1' });
  });
});

describe('dictionary columns', () => {
  it('keeps nulls and values of string columns exact across DuckDB chunk boundaries', async () => {
    const t0 = Date.UTC(2026, 8, 1);
    const n = 5000;
    const rows = Array.from(
      { length: n },
      (_, i) =>
        `${new Date(t0 + i * 100).toISOString()},acme,V${i % 3},${(22.5 + i * 1e-6).toFixed(7)},114.05,${i % 7 === 0 ? '' : `v${i % 2}`},${['autonomous', 'manual', 'remote', ''][i % 4]}`,
    );
    const file = writeFixture(
      dir,
      'in/dict.csv',
      `ts,company_id,vehicle_id,lat,lon,ads_version,mode\n${rows.join('\n')}\n`,
    );
    const data = path.join(dir, 'dict-data');
    await ingestPaths([file], { dataDir: data });
    const got = await query(`SELECT vehicle_id, ads_version, mode FROM ${lakeTable(data, 'telemetry')} ORDER BY ts`);
    expect(got).toHaveLength(n);
    got.forEach((r, i) => {
      expect(r).toEqual({
        vehicle_id: `V${i % 3}`,
        ads_version: i % 7 === 0 ? null : `v${i % 2}`,
        mode: ['autonomous', 'manual', 'remote', 'unknown'][i % 4],
      });
    });
  });
});

describe('event logs', () => {
  it('reads an event log and gives each event a deterministic id', async () => {
    const file = writeFixture(
      dir,
      'ev/drive.events.csv',
      'ts,company_id,vehicle_id,kind,initiator,cause,severity,lat,lon\n2026-09-01T00:05:00Z,acme,V1,人工接管,Test Driver,planner hesitation,,22.54,114.05\n2026-09-01T00:06:00Z,acme,V1,collision,,rear-ended at light,minor,22.541,114.051\n',
    );
    const data = path.join(dir, 'events-data');
    const summary = await ingestPaths([file], { dataDir: data });
    expect(summary.files[0]).toMatchObject({ kind: 'events', rows_in: 2, rows_stored: 2 });
    const rows = await query(
      `SELECT kind, initiator, severity, origin, event_id, local_date::VARCHAR AS d, date::VARCHAR AS p FROM ${lakeTable(data, 'events')} ORDER BY ts`,
    );
    expect(rows.map((r) => [r.kind, r.initiator, r.severity, r.origin])).toEqual([
      ['disengagement', 'driver', null, 'logged'],
      ['collision', null, 'minor', 'logged'],
    ]);
    expect(rows[0]?.event_id).toMatch(/^[0-9a-f]{24}$/u);
    expect(rows[0]).toMatchObject({ d: '2026-09-01', p: '2026-09-01' });
  });
});
