import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED } from '../../services/lake/scope.js';
import { disengagements } from '../../services/lake/metrics/disengagements.js';
import { exposure } from '../../services/lake/metrics/exposure.js';
import { dmvYear, type DmvYear } from '../../services/lake/metrics/regulator.js';
import { buildCaDmvExport } from '../../services/export/ca-dmv.js';
import { loadFleetReference } from '../../services/reference/fleet-reference.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { splitQuoted } from '../../services/ingest/readers/csv-fields.js';
import { DMV_DISENGAGEMENT_HEADER } from '../../services/ingest/regulators/layouts.js';
import { seededLake, type SeededLake } from '../api/fleet-fixture.js';
import { runCli } from '../helpers/cli.js';
import { SHARED_DATA, tempDir } from '../helpers/lake.js';

const DMV = path.join(SHARED_DATA, 'regulators', 'ca-dmv');

/** CSV records of a file (quoted fields may span lines), BOM dropped; cp1252 is not needed for our own files. */
function readCsv(file: string, encoding: BufferEncoding | 'latin1' = 'utf8'): string[][] {
  const lines = fs
    .readFileSync(file, encoding)
    .replace(/^\uFEFF/u, '')
    .split(/\r?\n/u);
  const out: string[][] = [];
  let pending = '';
  for (const line of lines) {
    pending = pending ? `${pending}\n${line}` : line;
    const cells = splitQuoted(pending, ',');
    if (cells === null) continue;
    if (pending !== '') out.push(cells);
    pending = '';
  }
  return out;
}

/** A header without the empty cells some DMV files trail it with (`ANNUAL TOTAL,,,,,`). */
const named = (header: string[]) => {
  const h = [...header];
  while (h.length && h[h.length - 1] === '') h.pop();
  return h;
};

async function year(dataDir: string, y: number): Promise<DmvYear> {
  const db = await LakeDb.open(dataDir, { connections: 2 });
  try {
    return await dmvYear(new LakeRepository(db), UNSCOPED, { year: y });
  } finally {
    await db.close();
  }
}

describe('CA DMV round trip: import a reporting year, export it, read the export back', () => {
  let dir: string;
  let cleanup: () => void;
  let imported: DmvYear;
  let reimported: DmvYear;
  let out: string;
  let cli: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('avlog-dmv-export-'));
    const lake = path.join(dir, 'lake-a');
    const s = await ingestPaths(
      [
        path.join(DMV, '2021-Autonomous-Mileage-Reports-CSV.csv'),
        path.join(DMV, '2021-Autonomous-Vehicle-Disengagement-Reports-CSV.csv'),
      ],
      { dataDir: lake },
    );
    expect(s.failed).toBe(0);
    imported = await year(lake, 2021);
    out = path.join(dir, 'export');
    cli = await runCli([
      'export',
      'ca-dmv',
      '--data',
      lake,
      '--from',
      '2020-12',
      '--to',
      '2021-11',
      '--out',
      out,
      '--json',
    ]);
    const back = path.join(dir, 'lake-b');
    const s2 = await ingestPaths([path.join(out, 'mileage.csv'), path.join(out, 'disengagements.csv')], {
      dataDir: back,
    });
    expect(s2.files.map((f) => [f.format, f.status, f.rows_quarantined])).toEqual([
      ['ca-dmv-mileage', 'ingested', 0],
      ['ca-dmv-disengagement', 'ingested', 0],
    ]);
    reimported = await year(back, 2021);
  }, 900_000);
  afterAll(() => cleanup?.());

  it('the CLI writes both files and says what it wrote', () => {
    expect(cli.code, cli.stderr).toBe(0);
    const summary = JSON.parse(cli.stdout) as {
      vehicles: number;
      miles: number;
      disengagements: number;
      disengagement_rows: number;
    };
    expect(summary.miles.toFixed(1)).toBe('4092187.1');
    expect(summary.disengagements).toBe(2676);
    expect(summary.disengagement_rows).toBe(2676);
  });

  it('the exported headers are the DMV’s, column for column', () => {
    const source = named(readCsv(path.join(DMV, '2021-Autonomous-Mileage-Reports-CSV.csv'))[0] ?? []);
    const exported = readCsv(path.join(out, 'mileage.csv'))[0];
    expect(exported).toEqual(source);
    expect(exported?.slice(4, 8)).toEqual(['DEC 2020', 'JAN 2021', 'FEB 2021', 'MAR 2021']);
    expect(exported).toContain('JULY 2021');
    const sourceDis = named(
      readCsv(path.join(DMV, '2021-Autonomous-Vehicle-Disengagement-Reports-CSV.csv'), 'latin1')[0] ?? [],
    );
    const exportedDis = readCsv(path.join(out, 'disengagements.csv'))[0];
    expect(exportedDis).toEqual(sourceDis);
    expect(exportedDis).toEqual([...DMV_DISENGAGEMENT_HEADER]);
    expect(exportedDis?.[7]).toBe(
      'DISENGAGEMENT\nLOCATION\n(Interstate, Freeway, Highway, Rural Road, Street, or Parking Facility)',
    );
  });

  it('reading the export back gives the same totals: 4,092,187.1 miles, 2,676 disengagements', () => {
    expect(imported.total.miles.toFixed(1)).toBe('4092187.1');
    expect(reimported.total.miles.toFixed(1)).toBe('4092187.1');
    expect(reimported.total.disengagements).toBe(imported.total.disengagements);
    expect(reimported.total.reported_disengagements).toBe(2676);
    expect(reimported.total.vehicles).toBe(imported.total.vehicles);
    expect(reimported.total.vehicles_driven).toBe(imported.total.vehicles_driven);
  });

  it('and the same figures per manufacturer, initiators included', () => {
    expect(reimported.manufacturers.map((m) => m.company_id)).toEqual(imported.manufacturers.map((m) => m.company_id));
    for (const m of imported.manufacturers) {
      const r = reimported.manufacturers.find((x) => x.company_id === m.company_id);
      expect(r?.miles, m.company_id).toBeCloseTo(m.miles, 6);
      expect(r?.disengagements, m.company_id).toBe(m.disengagements);
      expect(r?.by_initiator, m.company_id).toEqual(m.by_initiator);
      expect(r?.manufacturers, m.company_id).toEqual(m.manufacturers);
    }
    const waymo = reimported.manufacturers.find((m) => m.company_id === 'waymo');
    expect([waymo?.miles.toFixed(1), waymo?.disengagements, waymo?.vehicles, waymo?.vehicles_driven]).toEqual([
      '2325842.9',
      292,
      693,
      567,
    ]);
  });

  it('values print as filed: 830 .04 comes back as 830.04, blanks stay blank', () => {
    const rows = readCsv(path.join(out, 'mileage.csv'));
    const apollo = rows.find((r) => r[2] === '3LN6L5LU2HR615153');
    expect(apollo?.at(-1)).toBe('830.04');
    expect(apollo?.slice(10, 16)).toEqual(['338.18', '26.62', '184.24', '75.13', '123.66', '82.21']);
  });
});

describe('CA DMV export of our own fleet', () => {
  let lake: SeededLake;
  let db: LakeDb;
  let repo: LakeRepository;
  beforeAll(async () => {
    lake = await seededLake();
    db = await LakeDb.open(lake.dataDir, { connections: 2 });
    repo = new LakeRepository(db);
  }, 900_000);
  afterAll(() => {
    db?.close();
    lake?.cleanup();
  });

  it('mileage per vehicle per month from the logs, and the disengagements the metrics count', async () => {
    const report = await buildCaDmvExport(repo, UNSCOPED, { from: '2026-08', to: '2026-10' });
    const rows = readCsvText(report.mileage);
    expect(rows[0]).toEqual([
      'Manufacturer',
      'Permit Number',
      'VIN NUMBER',
      'Annual Total of Disengagements',
      'AUG 2026',
      'SEP 2026',
      'OCT 2026',
      'ANNUAL TOTAL',
    ]);
    const km = await exposure(repo, UNSCOPED, ['vehicle'], {});
    const dis = await disengagements(repo, UNSCOPED, ['vehicle'], {});
    expect(rows.length - 1).toBe(km.length);
    for (const e of km) {
      const id = String(e.group.vehicle);
      const row = rows.find((r) => r[2] === id);
      expect(row, id).toBeDefined();
      expect(row?.[4]).toBe('0');
      expect(row?.[6]).toBe('0');
      expect(Number(row?.[7])).toBeCloseTo(e.km.autonomous / 1.609344, 2);
      expect(Number(row?.[3])).toBe(dis.find((d) => d.group.vehicle === id)?.count ?? 0);
    }
    const total = dis.reduce((a, d) => a + d.count, 0);
    expect(total).toBeGreaterThan(0);
    expect(report.fleet.disengagements).toBe(total);
    expect(readCsvText(report.disengagements).length - 1).toBe(total);
    expect(report.imported).toEqual({ vehicles: 0, disengagements: 0 });
  });

  it('with the fleet register: VINs, permits, English names and driver flags', async () => {
    const fleetFile = path.join(path.dirname(lake.dataDir), 'logs', 'fleet.json');
    const fleet = loadFleetReference(fleetFile);
    const report = await buildCaDmvExport(repo, UNSCOPED, { from: '2026-09', to: '2026-09', fleet });
    const rows = readCsvText(report.mileage).slice(1);
    const register = JSON.parse(fs.readFileSync(fleetFile, 'utf8')) as {
      companies: { id: string; name_en: string }[];
      vehicles: { id: string; company_id: string; vin: string; permit: string; driverless: boolean }[];
    };
    const driven = new Set(rows.map((r) => r[2]));
    for (const v of register.vehicles.filter((x) => driven.has(x.vin))) {
      const row = rows.find((r) => r[2] === v.vin);
      expect(row?.[0]).toBe(register.companies.find((c) => c.id === v.company_id)?.name_en);
      expect(row?.[1]).toBe(v.permit);
    }
    expect(driven.size).toBe(rows.length);
    expect([...driven].every((vin) => /^[A-HJ-NPR-Z0-9]{17}$/u.test(vin ?? ''))).toBe(true);
    const events = readCsvText(report.disengagements).slice(1);
    expect(events.length).toBe(report.fleet.disengagements);
    for (const e of events) {
      expect(e[2]).toMatch(/^9\/\d{1,2}\/2026 \d{2}:\d{2}:\d{2}$/u);
      expect(['Yes', 'No']).toContain(e[4]);
      expect(['AV System', 'Test Driver', 'Remote Operator', 'Passenger', '']).toContain(e[6]);
    }
  });

  it('rejects a bad span', async () => {
    await expect(buildCaDmvExport(repo, UNSCOPED, { from: '2026-10', to: '2026-09' })).rejects.toThrow(/after/u);
    await expect(buildCaDmvExport(repo, UNSCOPED, { from: '2026-9', to: '2026-10' })).rejects.toThrow(/YYYY-MM/u);
  });
});

function readCsvText(text: string): string[][] {
  const tmp = tempDir('avlog-csv-');
  try {
    const f = path.join(tmp.dir, 'x.csv');
    fs.writeFileSync(f, text);
    return readCsv(f);
  } finally {
    tmp.cleanup();
  }
}
