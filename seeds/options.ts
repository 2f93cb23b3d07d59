import path from 'node:path';

/** Telemetry formats the demo fleet writes; `mcap` and `bag` are robotics recordings holding the events too. */
export const LOG_FORMATS = ['csv', 'gbk', 'jsonl', 'arrow', 'gcj02', 'mcap', 'bag'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface SeedOptions {
  /** Where the raw log files, manifest.json and fleet.json are written. */
  readonly out: string;
  /** Data dir to ingest the logs into afterwards (the CLI does the ingest). */
  readonly data: string | null;
  readonly seed: number;
  readonly companies: number;
  /** Vehicles in all, shared out among the companies. */
  readonly vehicles: number;
  readonly days: number;
  /** Telemetry rate, samples per second. */
  readonly hz: number;
  /** First local (Beijing) day, `YYYY-MM-DD`. */
  readonly start: string;
  readonly formats: readonly LogFormat[];
  /** OSMnx GraphML road network; null: the embedded Futian/Nanshan arterials. */
  readonly roads: string | null;
  /** Taxi origin–destination CSV (slon,slat,elon,elat) to draw trips from. */
  readonly trips: string | null;
  /** GNSS error, m (σ per axis). */
  readonly gpsNoise: number;
  /** Mean drives per vehicle per day. */
  readonly drivesPerDay: number;
  /** Multiplies every incident rate. */
  readonly eventScale: number;
  /** Stop after the drive that reaches this many telemetry rows (benchmarks). */
  readonly maxRows: number | null;
}

/**
 * Two months of a 12-vehicle fleet at 10 Hz. Drives last 10–40 min and a vehicle drives on about one day in six,
 * which gives 1–2 million telemetry rows: seconds to generate, enough for month-over-month figures.
 */
export const DEFAULT_SEED_OPTIONS: SeedOptions = {
  out: 'seed-logs',
  data: null,
  seed: 42,
  companies: 3,
  vehicles: 12,
  days: 61,
  hz: 10,
  start: '2026-09-01',
  formats: LOG_FORMATS,
  roads: null,
  trips: null,
  gpsNoise: 2,
  drivesPerDay: 0.14,
  eventScale: 1,
  maxRows: null,
};

interface FlagSpec {
  readonly key: keyof SeedOptions;
  readonly parse: (value: string, flag: string) => SeedOptions[keyof SeedOptions];
}

function integer(min: number, max: number) {
  return (value: string, flag: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

function decimal(min: number, max: number, minExclusive = false) {
  return (value: string, flag: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n > max || n < min || (minExclusive && n === min)) {
      throw new Error(
        `${flag} must be a number ${minExclusive ? 'above' : 'from'} ${min}${minExclusive ? ' up' : ''} to ${max}, got "${value}"`,
      );
    }
    return n;
  };
}

function text(value: string, flag: string): string {
  if (value.trim() === '') throw new Error(`${flag} needs a value`);
  return value;
}

function date(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (m === null || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new Error(`${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

function formats(value: string, flag: string): LogFormat[] {
  const list = value
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  const bad = list.filter((f) => !(LOG_FORMATS as readonly string[]).includes(f));
  if (list.length === 0 || bad.length > 0) {
    throw new Error(
      `${flag} takes a comma-separated list of ${LOG_FORMATS.join(', ')}${bad.length > 0 ? `; unknown: ${bad.join(', ')}` : ''}`,
    );
  }
  return LOG_FORMATS.filter((f) => list.includes(f));
}

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  '--out': { key: 'out', parse: text },
  '--data': { key: 'data', parse: text },
  '--seed': { key: 'seed', parse: integer(0, 0xffffffff) },
  '--companies': { key: 'companies', parse: integer(1, 100) },
  '--vehicles': { key: 'vehicles', parse: integer(1, 100_000) },
  '--days': { key: 'days', parse: integer(1, 3660) },
  '--hz': { key: 'hz', parse: integer(1, 100) },
  '--start': { key: 'start', parse: date },
  '--formats': { key: 'formats', parse: formats },
  '--roads': { key: 'roads', parse: text },
  '--trips': { key: 'trips', parse: text },
  '--gps-noise': { key: 'gpsNoise', parse: decimal(0, 100) },
  '--drives-per-day': { key: 'drivesPerDay', parse: decimal(0, 24, true) },
  '--event-scale': { key: 'eventScale', parse: decimal(0, 1000) },
  '--max-rows': { key: 'maxRows', parse: integer(1, Number.MAX_SAFE_INTEGER) },
};

/** `avlog seed` flags (the words after `seed`), `--flag value` or `--flag=value`. */
export function parseSeedArgs(argv: string[]): SeedOptions {
  const given: Partial<Record<keyof SeedOptions, SeedOptions[keyof SeedOptions]>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[flag];
    if (spec === undefined) {
      throw new Error(
        arg.startsWith('-')
          ? `unknown flag ${flag} (known: ${Object.keys(FLAGS).join(' ')})`
          : `unexpected argument "${arg}": seed takes only flags`,
      );
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
    }
    if (spec.key in given) throw new Error(`${flag} given twice`);
    given[spec.key] = spec.parse(value, flag);
  }
  return seedOptions(given as Partial<SeedOptions>);
}

/** Fills in defaults and checks the combination. */
export function seedOptions(partial: Partial<SeedOptions>): SeedOptions {
  const o: SeedOptions = { ...DEFAULT_SEED_OPTIONS, ...partial };
  const out = partial.out ?? (o.data !== null ? path.join(o.data, 'seed-logs') : DEFAULT_SEED_OPTIONS.out);
  if (o.vehicles < o.companies)
    throw new Error(
      `--vehicles (${o.vehicles}) must be at least --companies (${o.companies}): every company needs a vehicle`,
    );
  if (o.formats.length === 0) throw new Error('--formats must name at least one format');
  return { ...o, out };
}
