import { DistrictIndex } from '../../reference/districts/district-index.js';
import { RoadLimits } from '../../reference/roads/road-limits.js';
import { ingestPaths } from '../../ingest/ingest.js';
import { UsageError } from '../../core/usage-error.js';
import { CRSES, ENCODINGS, SOURCE_KINDS } from '../../ingest/schema/vocab.js';
import { dataDirOf, oneOf, parseCommandArgs, positiveNumber } from '../args.js';
import { progressBar } from '../progress.js';
import { formatSummary } from '../summary-table.js';

const HELP = `usage: avlog ingest [options] PATH…

Ingests road-test logs (CSV, JSONL, Arrow IPC; telemetry or event logs) from files or folders into the lake.

  --data DIR              data directory (default $AVLOG_DATA or ./data)
  --json                  print one JSON summary object on stdout
  --crs wgs84|gcj02|bd09  coordinate system of plain lat/lon columns (default wgs84)
  --encoding E            utf-8, gbk or windows-1252 (default: detected)
  --districts FILE        GeoJSON of named polygons; fills the district column
  --district-property P   feature property holding the name (default: name, qh, …)
  --roads embedded|FILE   road network for speed limits: avlog's embedded Futian/Nanshan arterials or an
                          OSMnx GraphML file (fills speed_limit_mps; enables speeding detection)
  --company ID            company for logs without a company column
  --vehicle ID            vehicle for logs without a vehicle column
  --speed-unit mps|kmh    unit of a column named just "speed" (default mps)
  --drive-gap S           seconds of silence that start a new drive (default 300)
  --kind telemetry|events force the source kind instead of detecting it
  --earliest YYYY-MM-DD   samples dated before this, or after now + 1 day, are quarantined as
                          timestamp_out_of_range (default 2000-01-01)

Exit code: 0 when every file was ingested (or already was), 1 when any failed, 2 on a usage error.`;

function isoDate(flag: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(`${flag} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    json: { type: 'boolean' },
    crs: { type: 'string' },
    encoding: { type: 'string' },
    districts: { type: 'string' },
    'district-property': { type: 'string' },
    roads: { type: 'string' },
    company: { type: 'string' },
    vehicle: { type: 'string' },
    'speed-unit': { type: 'string' },
    'drive-gap': { type: 'string' },
    kind: { type: 'string' },
    earliest: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('give at least one file or folder to ingest');
  const bar = progressBar(!values.json && process.stderr.isTTY === true);
  const summary = await ingestPaths(
    positionals,
    {
      dataDir: dataDirOf(values.data),
      crs: oneOf('--crs', values.crs, CRSES) ?? 'wgs84',
      encoding:
        oneOf(
          '--encoding',
          values.encoding
            ?.toLowerCase()
            .replace(/^cp1252$/u, 'windows-1252')
            .replace(/^utf8$/u, 'utf-8'),
          ENCODINGS,
        ) ?? null,
      districts: values.districts ? DistrictIndex.fromFile(values.districts, values['district-property']) : null,
      roads: values.roads
        ? RoadLimits.load(values.roads === 'embedded' ? { kind: 'embedded' } : { kind: 'graphml', path: values.roads })
        : null,
      company: values.company ?? null,
      vehicle: values.vehicle ?? null,
      speedUnit: oneOf('--speed-unit', values['speed-unit'], ['mps', 'kmh'] as const) ?? 'mps',
      driveGapS: positiveNumber('--drive-gap', values['drive-gap']) ?? 300,
      kind: oneOf('--kind', values.kind, SOURCE_KINDS) ?? null,
      earliest: isoDate('--earliest', values.earliest) ?? '2000-01-01',
      onWait: (m) => process.stderr.write(`avlog ingest: ${m}\n`),
    },
    (p) => bar.update(p),
  );
  bar.stop();
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${formatSummary(summary)}\n`);
  return summary.failed + summary.empty > 0 ? 1 : 0;
}
