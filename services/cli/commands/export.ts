import { LakeDb } from '../../lake/lake-db.js';
import { LakeRepository } from '../../lake/repository.js';
import { UNSCOPED } from '../../lake/scope.js';
import { UsageError } from '../../core/usage-error.js';
import { isYearMonth } from '../../ingest/regulators/normalize.js';
import { buildCaDmvExport, writeCaDmvExport } from '../../export/ca-dmv.js';
import { dataDirOf, fleetOf, parseCommandArgs } from '../args.js';

const FORMATS = ['ca-dmv'] as const;

const HELP = `usage: avlog export ca-dmv --from YYYY-MM --to YYYY-MM --out DIR [--company IDS] [--fleet fleet.json] [--data DIR] [--json]

Writes mileage.csv and disengagements.csv in the California DMV's layout, column for column, for the months
--from … --to (a DMV reporting year is December–November: --from 2020-12 --to 2021-11 is 2021):

  imported DMV reports   month columns as filed; a report whose whole period is in the span gives its own
                         ANNUAL TOTAL, disengagement count and every disengagement row, as filed
  our own fleet          autonomous miles per vehicle per (Beijing) month from the logs, and the
                         disengagements the metrics count; --fleet gives VINs, permits, names and
                         driver flags (default: vehicle ids stand in for VINs)

--company limits the export to some company ids (comma-separated).`;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    company: { type: 'string' },
    fleet: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const format = positionals[0];
  if (!format || !(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`name a format: ${FORMATS.join(', ')}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  for (const flag of ['from', 'to'] as const) {
    const v = values[flag];
    if (v === undefined) throw new UsageError(`--${flag} YYYY-MM is required`);
    if (!isYearMonth(v)) throw new UsageError(`--${flag} must be a month YYYY-MM (got "${v}")`);
  }
  if (!values.out) throw new UsageError('--out DIR is required');
  const from = values.from as string;
  const to = values.to as string;
  const company = values.company
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const fleet = fleetOf(values.fleet);
  const db = await LakeDb.open(dataDirOf(values.data), { connections: 2 });
  try {
    const report = await buildCaDmvExport(new LakeRepository(db), UNSCOPED, {
      from,
      to,
      ...(company?.length ? { company } : {}),
      ...(fleet ? { fleet } : {}),
    });
    const files = writeCaDmvExport(values.out, report);
    const summary = {
      format,
      from,
      to,
      files,
      vehicles: report.vehicles,
      miles: report.miles,
      disengagements: report.disengagementCount,
      disengagement_rows: report.disengagementRows,
      imported: report.imported,
      fleet: report.fleet,
    };
    if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `${files.mileage}: ${report.vehicles} vehicles, ${report.miles.toLocaleString('en-US', { maximumFractionDigits: 1 })} autonomous miles\n` +
          `${files.disengagements}: ${report.disengagementRows.toLocaleString('en-US')} disengagements\n`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
