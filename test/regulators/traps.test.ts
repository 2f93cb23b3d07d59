import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED } from '../../services/lake/scope.js';
import { dmvYear, sgoCrashes } from '../../services/lake/metrics/regulator.js';
import { csvText } from '../../services/export/csv-writer.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { DMV_DISENGAGEMENT_HEADER } from '../../services/ingest/regulators/layouts.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('avlog-regulators-')));
afterAll(() => cleanup());

const mileageTable = (data: string) =>
  `read_parquet('${path.join(data, 'lake', 'mileage').replaceAll("'", "''")}/**/*.parquet', hive_partitioning = true)`;

async function withRepo<T>(data: string, fn: (repo: LakeRepository) => Promise<T>): Promise<T> {
  const db = await LakeDb.open(data, { connections: 2 });
  try {
    return await fn(new LakeRepository(db));
  } finally {
    await db.close();
  }
}

// A mileage report as the DMV prints it: UTF-8 with a BOM, CRLF, trailing empty header cells, JULY, blank rows,
// `830 .04`, a quoted "1,089.90", a VIN with a trailing blank, and a total that is not the sum of its months.
const MILEAGE = [
  'Manufacturer,Permit Number,VIN NUMBER,Annual Total of Disengagements,DEC 2020,JAN 2021,FEB 2021,MAR 2021,APR 2021,MAY 2021,JUN 2021,JULY 2021,AUG 2021,SEP 2021,OCT 2021,NOV 2021,ANNUAL TOTAL,,,,,',
  'APOLLO AUTONOMOUS DRIVING USA LLC,AVT015,3LN6L5LU2HR615153,1,0,0,0,0,0,0,338.18,26.62,184.24,75.13,123.66,82.21,830 .04,,,,,',
  '"ZOOX, INC",AVT999,VINZOOX00000000001 ,2,0,0,0,0,0,0,0,0,0,100,200,300,600,,,,,',
  '"ZOOX, INC",AVT999,VINZOOX00000000002,0,,,,,,,,,,,,,0,,,,,',
  ',,,,,,,,,,,,,,,,,,,,,',
  'CRUISE LLC,AVDT005,5G21A6P05L4100180,0,0,0,0,0,0,0,0,0,0,0,155.00,934.90,"1,089.90",,,,,',
  ',,,,,,,,,,,,,,,,,,,,,',
  'BROKEN CO,AVT001,VINBROKEN000000001,0,0,0,abc,0,0,0,0,0,0,0,0,0,0,,,,,',
  '',
].join('\r\n');

function disengagementRows(padTo = 0): string {
  const rows: string[][] = [
    [...DMV_DISENGAGEMENT_HEADER],
    [
      'ZOOX INC',
      'AVT999',
      '2021.03.04.',
      'VINZOOX00000000001',
      'No',
      'Yes',
      'Test Driver',
      'Street',
      'Planner hesitated at a four-way stop',
    ],
    [
      'ZOOX INC',
      'AVT999',
      '2021.03.04.',
      'VINZOOX00000000001',
      'No',
      'Yes',
      'Test Driver',
      'Street',
      'Planner hesitated at a four-way stop',
    ],
    [
      'ZOOX INC',
      'AVT999',
      '11/30/2021',
      'VINZOOX00000000001',
      'No',
      'Yes',
      'AV System - Emergency Stop',
      'Highway',
      'Line one\nline two',
    ],
    [
      'APOLLO AUTONOMOUS DRIVING USA LLC',
      'AVT015',
      '2021-05-03 / 14:20:00',
      '3LN6L5LU2HR615153',
      'No',
      'Yes',
      'Software',
      'Street',
      'Localization jump',
    ],
    [
      'APOLLO AUTONOMOUS DRIVING USA LLC',
      'AVT015',
      'sometime in May',
      '3LN6L5LU2HR615153',
      'No',
      'Yes',
      'Test Drive',
      'Street',
      'Unreadable date',
    ],
  ];
  const text = csvText(rows);
  if (padTo <= 0) return text;
  // ASCII filler rows first (past the 64 KiB an encoding sniffer reads), then a row with cp1252's `’` (0x92).
  const filler: string[][] = [];
  for (let i = 0; filler.length * 120 < padTo; i++) {
    filler.push([
      'ZOOX INC',
      'AVT999',
      `2021-0${(i % 9) + 1}-1${i % 10}`,
      'VINZOOX00000000002',
      'No',
      'Yes',
      'test driver',
      'Street',
      `Routine takeover number ${i} for a construction zone ahead`,
    ]);
  }
  filler.push([
    'ZOOX INC',
    'AVT999',
    '2021-10-01',
    'VINZOOX00000000002',
    'No',
    'Yes',
    'Test Driver',
    'Street',
    'The vehicle didn’t yield',
  ]);
  return text + csvText(filler);
}

describe('CA DMV traps', () => {
  let data: string;
  let summary: Awaited<ReturnType<typeof ingestPaths>>;
  beforeAll(async () => {
    data = path.join(dir, 'dmv');
    const files = [
      writeFixture(dir, 'in/2021-Autonomous-Mileage-Reports-CSV.csv', `\uFEFF${MILEAGE}`),
      writeFixture(
        dir,
        'in/2021-Autonomous-Vehicle-Disengagement-Reports-CSV.csv',
        iconv.encode(disengagementRows(80_000), 'win1252'),
      ),
    ];
    summary = await ingestPaths(files, { dataDir: data });
  }, 300_000);

  it('detects both formats by their headers, with each file’s encoding judged on the whole file', () => {
    const [mileage, dis] = summary.files;
    expect(mileage).toMatchObject({ status: 'ingested', format: 'ca-dmv-mileage', encoding: 'utf-8' });
    expect(dis).toMatchObject({
      status: 'ingested',
      format: 'ca-dmv-disengagement',
      kind: 'events',
      encoding: 'windows-1252',
    });
  });

  it('skips blank rows, quarantines a row with an unreadable number, accounts for every record', () => {
    const mileage = summary.files[0];
    expect(mileage).toMatchObject({
      rows_in: 5,
      rows_stored: 4,
      rows_quarantined: 1,
      quarantine_by_reason: { bad_number: 1 },
    });
    for (const f of summary.files) expect(f.rows_in).toBe(f.rows_stored + f.rows_quarantined);
  });

  it('reads `830 .04`, "1,089.90", blank month cells, and keeps the reported total as filed', async () => {
    const rows =
      await query(`SELECT company_id, vehicle_id, period, strftime(month, '%Y-%m') AS m, strftime(month_end, '%Y-%m') AS m1, miles, disengagements, report, report_year, driverless
      FROM ${mileageTable(data)} ORDER BY vehicle_id, period DESC, month`);
    const apollo = rows.filter((r) => r.vehicle_id === '3LN6L5LU2HR615153');
    expect(apollo[0]).toMatchObject({
      company_id: 'apollo-autonomous-driving',
      period: 'total',
      m: '2020-12',
      m1: '2021-11',
      miles: 830.04,
      disengagements: 1,
      report: 'annual',
      report_year: 2021,
    });
    // 338.18 + 26.62 + 184.24 + 75.13 + 123.66 + 82.21 = 830.04; the months are stored as well
    expect(apollo.filter((r) => r.period === 'month')).toHaveLength(12);
    expect(rows.find((r) => r.vehicle_id === '5G21A6P05L4100180' && r.period === 'total')).toMatchObject({
      company_id: 'cruise',
      miles: 1089.9,
      report: 'driverless',
      driverless: true,
    });
    // the VIN lost its trailing blank; the all-blank row has only its total
    expect(rows.filter((r) => r.vehicle_id === 'VINZOOX00000000001')).toHaveLength(13);
    expect(rows.filter((r) => r.vehicle_id === 'VINZOOX00000000002').map((r) => r.period)).toEqual(['total']);
    const q = await query(
      `SELECT reason, line::INTEGER AS line, detail FROM ${lakeTable(data, 'quarantine')} WHERE source_id = '${summary.files[0]?.source_id}'`,
    );
    expect(q).toEqual([{ reason: 'bad_number', line: 8, detail: 'FEB 2021 is "abc"' }]);
  });

  it('reads the cp1252 file with its newline header cells, dates in many shapes, free-text initiators', async () => {
    const rows =
      await query(`SELECT company_id, vehicle_id, strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS ts, initiator, cause, detail, event_id, source_row
      FROM ${lakeTable(data, 'events')} ORDER BY source_row`);
    const first = rows.slice(0, 4);
    expect(first.map((r) => r.company_id)).toEqual(['zoox', 'zoox', 'zoox', 'apollo-autonomous-driving']);
    expect(first.map((r) => r.ts)).toEqual([
      '2021-03-04T08:00:00Z',
      '2021-03-04T08:00:00Z',
      '2021-11-30T08:00:00Z',
      '2021-05-03T21:20:00Z',
    ]);
    expect(first.map((r) => r.initiator)).toEqual(['driver', 'driver', 'system', 'system']);
    expect(first[2]?.cause).toBe('Line one\nline two');
    // identical rows are two reported disengagements, with distinct ids
    expect(first[0]?.event_id).not.toBe(first[1]?.event_id);
    const detail = JSON.parse(String(first[2]?.detail)) as Record<string, unknown>;
    expect(detail).toMatchObject({
      format: 'ca-dmv-disengagement',
      report: 'annual',
      report_year: 2021,
      manufacturer: 'ZOOX INC',
      date: '11/30/2021',
      local_date: '2021-11-30',
      initiated_by: 'AV System - Emergency Stop',
      location: 'Highway',
      driver_present: 'Yes',
    });
    expect(rows.at(-1)?.cause).toBe('The vehicle didn’t yield');
    const q = await query(
      `SELECT reason, line::INTEGER AS line, detail FROM ${lakeTable(data, 'quarantine')} WHERE source_id = '${summary.files[1]?.source_id}'`,
    );
    expect(q).toEqual([{ reason: 'bad_timestamp', line: 12, detail: 'DATE "sometime in May" is not a date' }]);
  });

  it('one company for every spelling, in the year’s figures', async () => {
    const year = await withRepo(data, (repo) => dmvYear(repo, UNSCOPED, { year: 2021 }));
    const zoox = year.manufacturers.find((m) => m.company_id === 'zoox');
    expect(zoox).toMatchObject({
      manufacturers: ['ZOOX INC', 'ZOOX, INC'],
      miles: 600,
      vehicles: 2,
      vehicles_driven: 1,
      reported_disengagements: 2,
    });
    expect(zoox?.disengagements).toBe(summary.files[1] ? summary.files[1].rows_stored - 1 : NaN); // all but Apollo's one stored row
    // the driverless Cruise row is not in the annual (testing) report, but is in `all`
    expect(year.manufacturers.find((m) => m.company_id === 'cruise')).toBeUndefined();
    const all = await withRepo(data, (repo) => dmvYear(repo, UNSCOPED, { year: 2021, report: 'all' }));
    expect(all.manufacturers.find((m) => m.company_id === 'cruise')?.miles).toBe(1089.9);
  });

  it('re-ingest adds nothing; the same report in another encoding gives the same event ids', async () => {
    const again = await ingestPaths([path.join(dir, 'in')], { dataDir: data });
    expect(again.files.map((f) => f.status)).toEqual(['already_ingested', 'already_ingested']);
    const year = await withRepo(data, (repo) => dmvYear(repo, UNSCOPED, { year: 2021 }));
    expect(year.total.miles).toBeCloseTo(830.04 + 600, 9);

    const other = path.join(dir, 'utf8');
    const utf8 = writeFixture(
      dir,
      'utf8-in/2021-Autonomous-Vehicle-Disengagement-Reports-CSV.csv',
      `\uFEFF${disengagementRows(80_000)}`,
    );
    const s = await ingestPaths([utf8], { dataDir: other });
    expect(s.files[0]).toMatchObject({ status: 'ingested', encoding: 'utf-8' });
    const ids = async (d: string) =>
      (await query(`SELECT event_id FROM ${lakeTable(d, 'events')} ORDER BY event_id`)).map((r) => r.event_id);
    expect(await ids(other)).toEqual(await ids(data));
  });
});

const SGO_HEADER = [
  'Report ID',
  'Report Version',
  'Reporting Entity',
  'Report Type',
  'Incident Date',
  'Incident Time (24:00)',
  'Notice Received Date',
  'Same Incident ID',
  'Same Vehicle ID',
  'VIN',
  'Highest Injury Severity',
  'SV Precrash Speed (MPH)',
  'Crash With',
  'ADS Equipped?',
  'Narrative',
];

describe('NHTSA SGO versions', () => {
  let data: string;
  let first: Awaited<ReturnType<typeof ingestPaths>>;
  beforeAll(async () => {
    data = path.join(dir, 'sgo');
    const release1 = csvText([
      SGO_HEADER,
      [
        'R1',
        '1',
        'Waymo LLC',
        '1-Day',
        'MAR-2022',
        '14:05',
        'MAR-2022',
        'inc-a',
        'veh-1',
        'SADHW2S1',
        'Unknown',
        '12',
        'SUV',
        'Yes',
        'first version',
      ],
      [
        'R1',
        '2',
        'Waymo LLC',
        '10-Day Update',
        'MAR-2022',
        '14:05',
        'MAR-2022',
        'inc-a',
        'veh-1',
        'SADHW2S1',
        'Minor',
        '12',
        'SUV',
        'Yes',
        'second version',
      ],
      [
        'R2',
        '1',
        'Cruise LLC',
        '1-Day',
        'APR-2022',
        '',
        'APR-2022',
        'inc-b',
        'veh-2',
        '',
        'No Injuries Reported',
        '3',
        'Passenger Car',
        'Yes',
        'operator report',
      ],
      [
        'R3',
        '1',
        'General Motors, LLC',
        '1-Day',
        'APR-2022',
        '',
        'APR-2022',
        'inc-b',
        'veh-2',
        '',
        'Moderate',
        '3',
        'Passenger Car',
        'Yes',
        'manufacturer report of the same crash',
      ],
      [
        'R4',
        '1',
        'Zoox, Inc.',
        'Monthly',
        '',
        '',
        'MAY-2022',
        ' ',
        'veh-3',
        '',
        'No Injuries Reported',
        '',
        'Other',
        'Yes',
        'incident date unknown',
      ],
    ]);
    first = await ingestPaths([writeFixture(dir, 'sgo/SGO-2022-06_Incident_Reports_ADS.csv', release1)], {
      dataDir: data,
    });
  }, 300_000);

  it('imports the latest version of each report and quarantines the superseded ones', async () => {
    expect(first.files[0]).toMatchObject({
      status: 'ingested',
      format: 'nhtsa-sgo',
      rows_in: 5,
      rows_stored: 4,
      rows_quarantined: 1,
      quarantine_by_reason: { superseded_version: 1 },
    });
    const rows =
      await query(`SELECT company_id, severity, cause, speed_mps, strftime(ts, '%Y-%m-%d') AS day, json_extract_string(detail, '$.report_version') AS v, json_extract_string(detail, '$.dated_by') AS dated_by
      FROM ${lakeTable(data, 'events')} ORDER BY company_id`);
    expect(rows.map((r) => r.company_id)).toEqual(['cruise', 'general-motors', 'waymo', 'zoox']);
    expect(rows.find((r) => r.company_id === 'waymo')).toMatchObject({
      severity: 'minor',
      v: '2',
      cause: 'SUV',
      day: '2022-03-01',
    });
    expect(rows.find((r) => r.company_id === 'zoox')).toMatchObject({
      day: '2022-05-01',
      dated_by: 'Notice Received Date',
    });
    expect(Number(rows.find((r) => r.company_id === 'cruise')?.speed_mps)).toBeCloseTo(3 * 0.44704, 9);
  });

  it('counts a crash once however many entities reported it, and once per entity', async () => {
    const [ads] = await withRepo(data, (repo) => sgoCrashes(repo, UNSCOPED));
    expect(ads).toMatchObject({
      system: 'ADS',
      crashes: 3,
      reports: 4,
      entities: 4,
      by_severity: { minor: 1, moderate: 1, none: 1 },
    });
    expect(ads?.by_entity.map((e) => [e.company_id, e.crashes])).toEqual([
      ['cruise', 1],
      ['general-motors', 1],
      ['waymo', 1],
      ['zoox', 1],
    ]);
  });

  it('a later release’s newer version replaces the earlier one across files', async () => {
    const release2 = csvText([
      SGO_HEADER,
      [
        'R1',
        '3',
        'Waymo LLC',
        'Other Update',
        'MAR-2022',
        '14:05',
        'MAR-2022',
        'inc-a',
        'veh-1',
        'SADHW2S1',
        'Serious',
        '12',
        'SUV',
        'Yes',
        'third version',
      ],
    ]);
    await ingestPaths([writeFixture(dir, 'sgo2/SGO-2022-07_Incident_Reports_ADS.csv', release2)], { dataDir: data });
    const [ads] = await withRepo(data, (repo) => sgoCrashes(repo, UNSCOPED, { system: 'ADS' }));
    expect(ads).toMatchObject({ crashes: 3, reports: 4, by_severity: { serious: 1, moderate: 1, none: 1 } });
  });
});
