import fs from 'node:fs';
import path from 'node:path';
import { LakeDb } from '../../lake/lake-db.js';
import { LakeRepository } from '../../lake/repository.js';
import { UNSCOPED } from '../../lake/scope.js';
import { isCompanyId } from '../../ingest/normalize/identifiers.js';
import { UsageError } from '../../core/usage-error.js';
import { buildReport, wholeTestPeriod } from '../../report/build.js';
import { isMonth, isQuarter, monthPeriod, quarterPeriod, rangePeriod, type Period } from '../../report/period.js';
import { spreadsheetCsv } from '../../report/render-csv.js';
import { renderReport, reportFileName, REPORT_FORMATS } from '../../report/render.js';
import { reportTables } from '../../report/tables.js';
import { dataDirOf, fleetOf, oneOf, parseCommandArgs } from '../args.js';

const HELP = `usage: avlog report --company ID|all (--month YYYY-MM | --quarter YYYY-Qn | --from YYYY-MM --to YYYY-MM | --test)
                    [--format html|pdf|csv|json] [--lang zh|en] [--out FILE | --out DIR/] [--table ID]
                    [--fleet FILE] [--data DIR]

The regulator's report of a test company (or \`all\`: fleet-wide) for Beijing-time months: header, fleet,
exposure, approval gates, disengagements, accidents, violations, safety-critical events, system health, data
compliance, map and changes since the previous period, with the incident appendix.

  --month     the monthly report
  --quarter   Guangdong's quarterly stage report (Q1 = January–March), with a month-by-month breakdown
  --from/--to the summary report of a span of months (inclusive); either one alone runs to the last (from the
              first) month with data
  --test      the summary of the whole test: the first to the last month with data

  --format    html (default, printable), pdf (Chromium), csv (every table; --table ID for one), json
  --lang      zh (default) or en, for html and pdf
  --out       a file; for csv a folder (existing, or ending in /) gets one file per table, for spreadsheets:
              UTF-8 with a byte-order mark (Excel in a Chinese locale reads 福田, not 绂忕敯), numbers rounded
              as the report prints them; --bilingual adds a second header row in Chinese and English.
              csv to stdout or to a file is the one-file form for scripts: every table after a
              "# table: <id>" line, column keys only, no BOM, numbers unrounded.
              Default: stdout, except pdf (avlog-report-<company>-<period>-<lang>.pdf here)
  --fleet     fleet reference (fleet.json: permits, plates, officers); default <data>/fleet.json or
              <data>/seed-logs/fleet.json when present
The fingerprint of the inputs (catalog sources + thresholds) is printed to stderr and embedded in every format.`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      company: { type: 'string' },
      month: { type: 'string' },
      quarter: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      test: { type: 'boolean' },
      format: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      fleet: { type: 'string' },
      bilingual: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const company = values.company;
  if (company === undefined) throw new UsageError('--company is required (a company id, or all)');
  if (company !== 'all' && !isCompanyId(company))
    throw new UsageError(`--company must be a company id or all (got "${company}")`);
  const chosen = [
    values.month !== undefined && '--month',
    values.quarter !== undefined && '--quarter',
    (values.from !== undefined || values.to !== undefined) && '--from/--to',
    values.test === true && '--test',
  ].filter(Boolean);
  if (chosen.length !== 1)
    throw new UsageError(
      `give exactly one of --month YYYY-MM, --quarter YYYY-Qn, --from YYYY-MM --to YYYY-MM, --test${chosen.length ? ` (got ${chosen.join(', ')})` : ''}`,
    );
  if (values.month !== undefined && !isMonth(values.month))
    throw new UsageError(`--month must be YYYY-MM (got "${values.month}")`);
  if (values.quarter !== undefined && !isQuarter(values.quarter))
    throw new UsageError(`--quarter must be YYYY-Qn with n = 1…4 (got "${values.quarter}")`);
  for (const flag of ['from', 'to'] as const) {
    const v = values[flag];
    if (v !== undefined && !isMonth(v)) throw new UsageError(`--${flag} must be YYYY-MM (got "${v}")`);
  }
  if (values.from !== undefined && values.to !== undefined && values.to < values.from)
    throw new UsageError(`--to ${values.to} is before --from ${values.from}`);
  const format = oneOf('--format', values.format, REPORT_FORMATS) ?? 'html';
  const lang = oneOf('--lang', values.lang, ['zh', 'en'] as const) ?? 'zh';
  if (values.table !== undefined && format !== 'csv') throw new UsageError('--table applies to --format csv only');
  const fleet = fleetOf(values.fleet);

  const db = await LakeDb.open(dataDirOf(values.data), { connections: 4 });
  try {
    const repo = new LakeRepository(db);
    const who = company === 'all' ? 'any company' : `company ${company}`;
    let period: Period;
    if (values.month !== undefined) period = monthPeriod(values.month);
    else if (values.quarter !== undefined) period = quarterPeriod(values.quarter);
    else {
      // The whole test, or the open end of a span, from the months with data.
      const test =
        values.from !== undefined && values.to !== undefined ? null : wholeTestPeriod(repo, UNSCOPED, company);
      const from = values.from ?? test?.months[0];
      const to = values.to ?? test?.months[test.months.length - 1];
      if (from === undefined || to === undefined) {
        process.stderr.write(`avlog report: no telemetry or events for ${who} in the lake\n`);
        return 1;
      }
      if (to < from) throw new UsageError(`the last month with data for ${who} (${to}) is before --from ${from}`);
      try {
        period = rangePeriod(from, to);
      } catch (e) {
        throw new UsageError(`--from/--to: ${(e as Error).message}`);
      }
    }
    const model = await buildReport(repo, UNSCOPED, { company, period, ...(fleet !== undefined ? { fleet } : {}) });
    if (!model.has_data) {
      process.stderr.write(`avlog report: no telemetry or events for ${who} in ${period.id}\n`);
      return 1;
    }
    const ids = reportTables(model).map((t) => t.id);
    if (values.table !== undefined && !ids.includes(values.table))
      throw new UsageError(`--table must be one of ${ids.join(', ')} (got "${values.table}")`);
    const out = values.out;
    let written: string;
    if (
      format === 'csv' &&
      out !== undefined &&
      values.table === undefined &&
      (out.endsWith('/') || out.endsWith(path.sep) || (fs.existsSync(out) && fs.statSync(out).isDirectory()))
    ) {
      fs.mkdirSync(out, { recursive: true });
      for (const t of reportTables(model))
        fs.writeFileSync(
          path.join(out, reportFileName(model, 'csv', lang, t.id)),
          spreadsheetCsv(t, values.bilingual === true),
        );
      written = `${ids.length} tables in ${out}`;
    } else {
      const body = await renderReport(model, format, {
        lang,
        ...(values.table !== undefined ? { table: values.table } : {}),
      });
      const file = out ?? (format === 'pdf' ? reportFileName(model, format, lang) : null);
      if (file === null) {
        process.stdout.write(body);
        written = 'stdout';
      } else {
        fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        fs.writeFileSync(file, body);
        written = file;
      }
    }
    const red = model.flags.filter((f) => f.level === 'red').length;
    process.stderr.write(
      `report ${company} ${period.id} (${format}${format === 'html' || format === 'pdf' ? `, ${lang}` : ''}) → ${written}\n` +
        `fingerprint sha256:${model.fingerprint.sha256} (${model.fingerprint.sources} sources)` +
        `${model.flags.length ? ` · ${model.flags.length} flags${red ? `, ${red} red (stop testing)` : ''}` : ''}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
