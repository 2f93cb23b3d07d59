import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED_OPTIONS, parseSeedArgs } from '../../seeds/index.js';

describe('parseSeedArgs', () => {
  it('gives the documented defaults with no flags', () => {
    const o = parseSeedArgs([]);
    expect(o).toMatchObject({
      seed: 42,
      companies: 3,
      vehicles: 12,
      days: 61,
      hz: 10,
      start: '2026-09-01',
      gpsNoise: 2,
      data: null,
      roads: null,
    });
    expect(o.formats).toEqual(['csv', 'gbk', 'jsonl', 'arrow', 'gcj02', 'mcap', 'bag']);
    expect(o.out).toBe(DEFAULT_SEED_OPTIONS.out);
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const o = parseSeedArgs([
      '--data',
      '/d',
      '--out=/o',
      '--seed',
      '7',
      '--companies',
      '4',
      '--vehicles=20',
      '--days',
      '3',
      '--hz',
      '5',
      '--start',
      '2027-02-28',
      '--formats',
      'jsonl,csv',
      '--roads',
      'r.graphml',
      '--trips',
      't.csv',
      '--gps-noise',
      '0.5',
      '--drives-per-day',
      '1.5',
      '--event-scale',
      '3',
      '--max-rows',
      '1000',
    ]);
    expect(o).toMatchObject({
      data: '/d',
      out: '/o',
      seed: 7,
      companies: 4,
      vehicles: 20,
      days: 3,
      hz: 5,
      start: '2027-02-28',
      roads: 'r.graphml',
      trips: 't.csv',
      gpsNoise: 0.5,
      drivesPerDay: 1.5,
      eventScale: 3,
      maxRows: 1000,
    });
    expect(o.formats).toEqual(['csv', 'jsonl']);
  });

  it('puts the logs under the data dir when only --data is given', () => {
    expect(parseSeedArgs(['--data', '/var/avlog']).out).toBe('/var/avlog/seed-logs');
  });

  it.each([
    [['--seeds', '1'], /unknown flag --seeds/],
    [['--days'], /--days needs a value/],
    [['--days', '--hz', '5'], /--days needs a value/],
    [['--days', '0'], /--days must be a whole number from 1/],
    [['--hz', '2.5'], /--hz must be a whole number/],
    [['--start', '2026-02-30'], /--start must be a date YYYY-MM-DD/],
    [['--formats', 'csv,parquet'], /--formats .*unknown: parquet/],
    [['--gps-noise', 'abc'], /--gps-noise must be a number/],
    [['--drives-per-day', '0'], /--drives-per-day must be a number above 0/],
    [['--vehicles', '2', '--companies', '3'], /--vehicles \(2\) must be at least --companies \(3\)/],
    [['--seed', '1', '--seed', '2'], /--seed given twice/],
    [['extra'], /unexpected argument "extra"/],
  ])('rejects %j naming the bad flag', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});
