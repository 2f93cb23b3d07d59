import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ADMIN, PROXY_AUTH } from '../helpers/auth.js';
import type { DmvYear, SgoSystemFigures } from '../../services/lake/metrics/regulator.js';
import { ingestPaths, type IngestSummary } from '../../services/ingest/ingest.js';
import { lakeTable, query, SHARED_DATA, tempDir } from '../helpers/lake.js';

/**
 * The real CA DMV and NHTSA files (../shared/data/regulators), every one of them imported into one lake, must give
 * exactly the figures others published from them — through the API's regulator metrics.
 */
const REGULATORS = path.join(SHARED_DATA, 'regulators');

let data: string;
let cleanup: () => void;
let summary: IngestSummary;
let app: FastifyInstance;
beforeAll(async () => {
  ({ dir: data, cleanup } = tempDir('avlog-published-'));
  summary = await ingestPaths([path.join(REGULATORS, 'ca-dmv'), path.join(REGULATORS, 'nhtsa-sgo')], { dataDir: data });
  // ~2,000 small event partitions (a year of reports over hundreds of days × manufacturers): opening the lake
  // reads every file's schema, which on a loaded CI machine can outlast fastify's 10 s plugin timeout.
  app = await buildApp({ dataDir: data, auth: PROXY_AUTH }, { pluginTimeout: 600_000 });
}, 900_000);
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

async function get<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const r = await app.inject({ url, headers: Object.keys(headers).length ? headers : ADMIN });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<T>();
}

const oneDecimal = (n: number) => n.toFixed(1);
const maker = (y: DmvYear, id: string) => {
  const m = y.manufacturers.find((r) => r.company_id === id);
  if (!m) throw new Error(`no ${id} in ${y.year}`);
  return m;
};

describe('the real files import cleanly', () => {
  it('every file is detected by its header and ingested; every row is stored or quarantined', () => {
    expect(summary.failed).toBe(0);
    expect(summary.files).toHaveLength(14);
    const formats = Object.fromEntries(summary.files.map((f) => [f.file, f.format]));
    expect(formats['2021-Autonomous-Mileage-Reports-CSV.csv']).toBe('ca-dmv-mileage');
    expect(formats['2022-Autonomous-Vehicle-Disengagement-Reports-CSV.csv']).toBe('ca-dmv-disengagement');
    expect(formats['SGO-2021-01_Incident_Reports_ADS.csv']).toBe('nhtsa-sgo');
    for (const f of summary.files) expect(f.rows_in, f.file).toBe(f.rows_stored + f.rows_quarantined);
    // the only rows set aside are NHTSA report versions that a later version replaces
    const reasons = summary.files.flatMap((f) => Object.keys(f.quarantine_by_reason));
    expect(new Set(reasons)).toEqual(new Set(['superseded_version']));
    expect(summary.rows_quarantined).toBe(76 + 373);
  });

  it('the big disengagement files are cp1252 (ASCII for their first 170 KB): their ’ reads as ’', async () => {
    const enc = Object.fromEntries(summary.files.map((f) => [f.file, f.encoding]));
    expect(enc['2021-Autonomous-Vehicle-Disengagement-Reports-CSV.csv']).toBe('windows-1252');
    expect(enc['2022-Autonomous-Vehicle-Disengagement-Reports-CSV.csv']).toBe('windows-1252');
    expect(enc['2021-Autonomous-Mileage-Reports-CSV.csv']).toBe('utf-8');
    const rows = await query(
      `SELECT cause FROM ${lakeTable(data, 'events')} WHERE company_id = 'lyft' AND source_row = 1189`,
    );
    expect(rows[0]?.cause).toBe(
      'Disengage for a perception discrepancy for which a component of the vehicle’s perception system failed to detect an object correctly',
    );
    const c1 = await query(
      `SELECT count(*)::INTEGER AS n FROM ${lakeTable(data, 'events')} WHERE regexp_matches(cause, '[\\x{80}-\\x{9f}]')`,
    );
    expect(c1[0]?.n).toBe(0);
  });
});

describe('CA DMV 2021 (December 2020 – November 2021)', () => {
  let y: DmvYear;
  beforeAll(async () => {
    y = await get<DmvYear>('/api/regulator/ca-dmv/years/2021');
  });

  it('all manufacturers: 4,092,187.1 autonomous miles and 2,676 disengagements', () => {
    expect(y.months).toEqual(['2020-12', '2021-11']);
    expect(oneDecimal(y.total.miles)).toBe('4092187.1');
    expect(y.total.disengagements).toBe(2676);
    // the mileage file's own per-VIN counts agree with the disengagement file's rows
    expect(y.total.reported_disengagements).toBe(2676);
  });

  it('Waymo: 2,325,842.9 miles, 292 disengagements, 693 vehicles of which 567 drove', () => {
    const w = maker(y, 'waymo');
    expect(oneDecimal(w.miles)).toBe('2325842.9');
    expect(w.disengagements).toBe(292);
    expect(w.vehicles).toBe(693);
    expect(w.vehicles_driven).toBe(567);
  });

  it('Cruise: 876,104.7 miles, 41,719 miles per disengagement', () => {
    const c = maker(y, 'cruise');
    expect(oneDecimal(c.miles)).toBe('876104.7');
    expect(Math.round(c.miles_per_disengagement ?? NaN)).toBe(41719);
  });

  it('manufacturers spelt differently across files are one company (ZOOX, INC in 2021, ZOOX INC in 2022)', async () => {
    expect(maker(y, 'zoox').manufacturers).toEqual(['ZOOX, INC']);
    const y22 = await get<DmvYear>('/api/regulator/ca-dmv/years/2022?company=zoox');
    expect(y22.manufacturers.map((m) => [m.company_id, m.manufacturers])).toEqual([['zoox', ['ZOOX INC']]]);
  });
});

describe('CA DMV 2022 (December 2021 – November 2022)', () => {
  let y: DmvYear;
  beforeAll(async () => {
    y = await get<DmvYear>('/api/regulator/ca-dmv/years/2022?report=annual');
  });

  it('all manufacturers: 5,099,141.4 miles and 8,216 disengagements', () => {
    expect(oneDecimal(y.total.miles)).toBe('5099141.4');
    expect(y.total.disengagements).toBe(8216);
  });

  it('Waymo 17,060 and Cruise 95,901 miles per disengagement', () => {
    expect(Math.round(maker(y, 'waymo').miles_per_disengagement ?? NaN)).toBe(17060);
    expect(Math.round(maker(y, 'cruise').miles_per_disengagement ?? NaN)).toBe(95901);
  });

  it('the driverless and first-time reports are separate figures, and `all` adds them up', async () => {
    const [driverless, first, all] = await Promise.all(
      ['driverless', 'first_time', 'all'].map((r) => get<DmvYear>(`/api/regulator/ca-dmv/years/2022?report=${r}`)),
    );
    expect(driverless?.total.vehicles).toBeGreaterThan(500);
    expect(first?.manufacturers.map((m) => m.company_id)).toEqual(['bosch', 'woven-planet-north-america']);
    expect(first?.total.disengagements).toBe(204);
    expect(all?.total.miles).toBeCloseTo(
      y.total.miles + (driverless?.total.miles ?? NaN) + (first?.total.miles ?? NaN),
      6,
    );
    expect(all?.total.disengagements).toBe(
      y.total.disengagements + (driverless?.total.disengagements ?? NaN) + (first?.total.disengagements ?? NaN),
    );
  });
});

describe('NHTSA SGO, June 2022 release, latest version of each report', () => {
  let systems: SgoSystemFigures[];
  beforeAll(async () => {
    systems = (await get<{ systems: SgoSystemFigures[] }>('/api/regulator/nhtsa/crashes')).systems;
  });
  const sys = (s: string) => {
    const f = systems.find((x) => x.system === s);
    if (!f) throw new Error(`no ${s}`);
    return f;
  };
  const entity = (f: SgoSystemFigures, id: string) => f.by_entity.find((e) => e.company_id === id)?.crashes;

  it('ADS: 130 crashes from 25 reporting entities, Waymo 62', () => {
    const ads = sys('ADS');
    expect(ads.crashes).toBe(130);
    expect(ads.entities).toBe(25);
    expect(entity(ads, 'waymo')).toBe(62);
  });

  it('Level 2 ADAS: 392 crashes from 12 reporting entities, Tesla 273', () => {
    const l2 = sys('ADAS');
    expect(l2.crashes).toBe(392);
    expect(l2.entities).toBe(12);
    expect(entity(l2, 'tesla')).toBe(273);
  });

  it('one system at a time gives the same figures', async () => {
    const only = (await get<{ systems: SgoSystemFigures[] }>('/api/regulator/nhtsa/crashes?system=ADS')).systems;
    expect(only.map((s) => [s.system, s.crashes, s.entities])).toEqual([['ADS', 130, 25]]);
  });
});

describe('regulator routes', () => {
  it('monthly mileage per vehicle, as the month columns state it', async () => {
    const body = await get<{ rows: { vehicle_id: string; month: string; miles: number }[] }>(
      '/api/regulator/ca-dmv/mileage?company=apollo-autonomous-driving&from=2021-06&to=2021-11&by=vehicle&report=annual',
    );
    const v = body.rows.filter((r) => r.vehicle_id === '3LN6L5LU2HR615153');
    expect(v.map((r) => [r.month, r.miles])).toEqual([
      ['2021-06', 338.18],
      ['2021-07', 26.62],
      ['2021-08', 184.24],
      ['2021-09', 75.13],
      ['2021-10', 123.66],
      ['2021-11', 82.21],
    ]);
  });

  it('a company-scoped caller sees its own company only', async () => {
    const y = await get<DmvYear>('/api/regulator/ca-dmv/years/2021', { 'x-avlog-company': 'waymo' });
    expect(y.manufacturers.map((m) => m.company_id)).toEqual(['waymo']);
    expect(oneDecimal(y.total.miles)).toBe('2325842.9');
  });

  it('rejects malformed parameters', async () => {
    for (const url of [
      '/api/regulator/ca-dmv/years/21',
      '/api/regulator/ca-dmv/years/2021?report=weekly',
      '/api/regulator/nhtsa/crashes?system=L3',
      '/api/regulator/ca-dmv/mileage?from=2021-13',
    ]) {
      const r = await app.inject({ url, headers: ADMIN });
      expect(r.statusCode, url).toBe(400);
      expect(r.json<{ error: { code: string } }>().error.code).toBe('bad_parameter');
    }
  });
});
