import { describe, expect, it } from 'vitest';
import { parseInitiator } from '../../services/ingest/normalize/event-vocab.js';
import { detectRegulatorFormat } from '../../services/ingest/regulators/detect.js';
import { DMV_DISENGAGEMENT_HEADER, DMV_MILEAGE_LEAD } from '../../services/ingest/regulators/layouts.js';
import { injurySeverity } from '../../services/ingest/regulators/nhtsa-sgo.js';
import {
  CALIFORNIA_ZONE,
  companyIdOf,
  dmvFileName,
  dmvMonthHeader,
  dmvReportOf,
  parseMonthHeader,
  parseRegulatorDate,
  parseReportedNumber,
  reportingYearOf,
  zonedToUtcMs,
} from '../../services/ingest/regulators/normalize.js';
import { csvField } from '../../services/core/csv.js';
import { formatNumber } from '../../services/export/csv-writer.js';
import { mendCp1252 } from '../../services/ingest/regulators/records.js';

const ymd = (s: string) => {
  const d = parseRegulatorDate(s);
  return d
    ? `${d.year}-${String(d.month).padStart(2, '0')}-${d.day === null ? '??' : String(d.day).padStart(2, '0')}${d.hasTime ? ` ${d.hour}:${d.minute}:${d.second}` : ''}`
    : null;
};

describe('dates as regulators write them', () => {
  it.each([
    ['2021.03.04.', '2021-03-04'],
    ['2021.03.04', '2021-03-04'],
    ['\t2021.03.04. ', '2021-03-04'],
    ['2021.12.06. 10:39:23', '2021-12-06 10:39:23'],
    ['2022-12-06', '2022-12-06'],
    ['20230308', '2023-03-08'],
    ['20230308 14:20:00', '2023-03-08 14:20:0'],
    ['6/29/2023', '2023-06-29'],
    ['29/06/2023', '2023-06-29'],
    ['2021-05-03 14:20:00', '2021-05-03 14:20:0'],
    ['2021-05-03 / 14:20:00', '2021-05-03 14:20:0'],
    ['2022/03/02', '2022-03-02'],
    ['11/30/2021', '2021-11-30'],
    ['12/9/2021', '2021-12-09'],
    ['3/4/21', '2021-03-04'],
    ['01/Apr/21', '2021-04-01'],
    ['17-Jun-2021', '2021-06-17'],
    ['Apr 1, 2021', '2021-04-01'],
    ['11/30/2021 1:05 PM', '2021-11-30 13:5:0'],
    ['30/11/2021', '2021-11-30'],
    ['44505', '2021-11-05'],
    ['APR-2022', '2022-04-??'],
  ])('%j → %s', (text, expected) => {
    expect(ymd(text)).toBe(expected);
  });

  it.each(['', '   ', '2021-02-30', '20231308', '20230230', '13/13/2021', 'yesterday', '2021.13.01.', '25:00', 'N/A'])(
    'refuses %j',
    (text) => {
      expect(parseRegulatorDate(text)).toBeNull();
    },
  );

  it('reads California dates in Pacific time, DST included', () => {
    const winter = parseRegulatorDate('2021.12.06. 10:39:23');
    const summer = parseRegulatorDate('7/1/2021');
    if (!winter || !summer) throw new Error('unparsed');
    expect(new Date(zonedToUtcMs(winter, CALIFORNIA_ZONE)).toISOString()).toBe('2021-12-06T18:39:23.000Z');
    expect(new Date(zonedToUtcMs(summer, CALIFORNIA_ZONE)).toISOString()).toBe('2021-07-01T07:00:00.000Z');
  });
});

describe('numbers typed into spreadsheets', () => {
  it.each([
    ['830 .04', 830.04],
    ['1,089.90', 1089.9],
    ['12,345', 12345],
    [' 16282.7 ', 16282.7],
    ['0.00', 0],
    ['9.9 ', 9.9],
    ['.5', 0.5],
  ])('%j → %d', (text, n) => expect(parseReportedNumber(text)).toBe(n));

  it('blank is null, garbage is NaN', () => {
    expect(parseReportedNumber('')).toBeNull();
    expect(parseReportedNumber('   ')).toBeNull();
    expect(parseReportedNumber(undefined)).toBeNull();
    for (const bad of ['abc', '12 345', '1,2', '1.2.3', '-', 'N/A']) expect(parseReportedNumber(bad), bad).toBeNaN();
  });

  it('prints numbers back as read, without float noise or exponents', () => {
    expect(formatNumber(830.04)).toBe('830.04');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(4092187.08544488)).toBe('4092187.08544488');
    expect(formatNumber(1e-7)).toBe('0.0000001');
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"');
  });
});

describe('cp1252 text', () => {
  it('mends what a Latin-1 decoder makes of cp1252 punctuation', () => {
    const latin1 = Buffer.from([
      0x64, 0x69, 0x64, 0x6e, 0x92, 0x74, 0x20, 0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0xa0, 0xe9,
    ]).toString('latin1');
    expect(mendCp1252(latin1)).toBe('didn’t “q” – €5\u00a0é');
    expect(mendCp1252('plain')).toBe('plain');
  });
});

describe('manufacturer spellings → one company id', () => {
  it.each([
    [['ZOOX, INC', 'ZOOX INC', 'Zoox, Inc.'], 'zoox'],
    [['PONY.AI, INC.', 'Pony.ai'], 'pony-ai'],
    [['NVIDIA', 'NVIDIA CORPORATION '], 'nvidia'],
    [['GATIK AI INC.', 'GATIK AI INC'], 'gatik-ai'],
    [['IMAGRY INC.', 'IMAGRY INC'], 'imagry'],
    [['TOYOTA RESEARCH INSTITUTE, INC.', 'TOYOTA RESEARCH INSTITUTE'], 'toyota-research-institute'],
    [
      ['DIDI RESEARCH AMERICA LLC', 'DIDI RESEARCH AMERICA, LLC', 'DiDi Research America, L.L.C.'],
      'didi-research-america',
    ],
    [['WAYMO LLC', 'Waymo LLC'], 'waymo'],
    [['WERIDE CORP', 'WeRide Corp'], 'weride'],
    [['ARGO AI, LLC', 'Argo AI'], 'argo-ai'],
    [['Honda (American Honda Motor Co.)'], 'honda'],
    [['NISSAN NORTH AMERICA, INC DBA ALLIANCE INNOVATION LAB'], 'nissan-north-america'],
    [
      ['MERCEDES-BENZ RESEARCH & DEVELOPMENT NORTH AMERICA, INC.'],
      'mercedes-benz-research-and-development-north-america',
    ],
  ])('%j → %s', (names, id) => {
    for (const n of names) expect(companyIdOf(n), n).toBe(id);
  });

  it('gives null when nothing is left', () => {
    expect(companyIdOf(' , . ')).toBeNull();
  });
});

describe('initiators in free text', () => {
  it.each([
    ['Test Driver', 'driver'],
    ['test driver', 'driver'],
    ['Test driver', 'driver'],
    ['Test Drive', 'driver'],
    ['Test Driver - Soft Stop', 'driver'],
    ['Driver', 'driver'],
    ['Operator', 'driver'],
    ['AV System', 'system'],
    ['AV system', 'system'],
    ['AV System - Emergency Stop', 'system'],
    ['ADS', 'system'],
    ['software', 'system'],
    ['Software', 'system'],
    ['Remote Operator', 'remote'],
    ['Passenger', 'passenger'],
  ])('%j → %s', (text, initiator) => expect(parseInitiator(text)).toBe(initiator));
});

describe('months, reporting years, file names, reports', () => {
  it('reads and writes DMV month headers (JULY, not JUL)', () => {
    expect(parseMonthHeader('JULY 2021')).toBe('2021-07');
    expect(parseMonthHeader('DEC 2020')).toBe('2020-12');
    expect(parseMonthHeader('ANNUAL TOTAL')).toBeNull();
    expect(dmvMonthHeader('2021-07')).toBe('JULY 2021');
    expect(dmvMonthHeader('2021-06')).toBe('JUN 2021');
  });

  it('a reporting year runs December to November', () => {
    expect(reportingYearOf('2020-12')).toBe(2021);
    expect(reportingYearOf('2021-11')).toBe(2021);
    expect(reportingYearOf('2021-12')).toBe(2022);
  });

  it('reads the DMV file names', () => {
    expect(dmvFileName('2021-Autonomous-Vehicle-Disengagement-Reports-CSV.csv')).toEqual({
      year: 2021,
      multiYear: false,
      driverless: false,
      firstTime: false,
    });
    expect(dmvFileName('/x/2020-21-Autonomous-Vehicle-Disengagement-Reports-CSV-first-time-filers.csv')).toEqual({
      year: 2021,
      multiYear: true,
      driverless: false,
      firstTime: true,
    });
    expect(dmvFileName('2022-Autonomous-Mileage-Reports-CSV-driverless.csv')).toMatchObject({
      year: 2022,
      driverless: true,
    });
    expect(dmvFileName('disengagements.csv').year).toBeNull();
  });

  it('classes a row by permit first, then by the period its report covers', () => {
    expect(dmvReportOf('AVDT005', false)).toBe('driverless');
    expect(dmvReportOf('AVDT005', true)).toBe('driverless');
    expect(dmvReportOf('AVT036', true)).toBe('first_time');
    expect(dmvReportOf('AVT036', false)).toBe('annual');
  });

  it('maps NHTSA injury wordings to severities', () => {
    expect(injurySeverity('No Injuries Reported')).toBe('none');
    expect(injurySeverity('Minor W/O Hospitalization')).toBe('minor');
    expect(injurySeverity('Moderate')).toBe('moderate');
    expect(injurySeverity('Serious')).toBe('serious');
    expect(injurySeverity('Fatality')).toBe('fatal');
    expect(injurySeverity('Unknown')).toBeNull();
  });
});

describe('detection by header', () => {
  it('tells the three regulator formats from each other and from road-test logs', () => {
    expect(detectRegulatorFormat([...DMV_MILEAGE_LEAD, 'DEC 2020', 'JAN 2021', 'ANNUAL TOTAL', '', ''])).toBe(
      'ca-dmv-mileage',
    );
    // CsvSource folds line breaks in header cells to blanks
    expect(detectRegulatorFormat(DMV_DISENGAGEMENT_HEADER.map((c) => c.replace(/\s+/gu, ' ')))).toBe(
      'ca-dmv-disengagement',
    );
    expect(
      detectRegulatorFormat([
        'Report ID',
        'Report Version',
        'Reporting Entity',
        'Report Type',
        'Incident Date',
        'Narrative',
      ]),
    ).toBe('nhtsa-sgo');
    expect(detectRegulatorFormat(['ts', 'company_id', 'vehicle_id', 'lat', 'lon', 'speed_mps'])).toBeNull();
    expect(detectRegulatorFormat(['ts', 'vehicle_id', 'kind', 'initiator', 'cause'])).toBeNull();
  });
});
