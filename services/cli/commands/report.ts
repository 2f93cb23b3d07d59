import fs from 'node:fs';
import path from 'node:path';
import { LakeDb } from '../../api/lake/lake-db.js';
import { LakeRepository } from '../../api/lake/repository.js';
import { UNSCOPED } from '../../api/lake/scope.js';
import { isCompanyId } from '../../ingest/normalize/identifiers.js';
import { UsageError } from '../../ingest/errors.js';
import { buildReport } from '../../report/build.js';
import { loadFleetReference } from '../../report/fleet-reference.js';
import { isMonth } from '../../report/period.js';
import { tableCsv } from '../../report/render-csv.js';
import { renderReport, reportFileName, REPORT_FORMATS } from '../../report/render.js';
import { reportTables } from '../../report/tables.js';
import { dataDirOf, oneOf, parseCommandArgs } from '../args.js';

const HELP = `usage: avlog report --company ID|all --month YYYY-MM [--format html|pdf|csv|json] [--lang zh|en]
                    [--out FILE | --out DIR/] [--table ID] [--fleet FILE] [--data DIR]

The regulator's monthly report of a test company (or \`all\`: fleet-wide) for a Beijing-time month: header, fleet,
exposure, approval gates, disengagements, accidents, violations, safety-critical events, system health, data
compliance, map and month-over-month changes, with the incident appendix.

  --format    html (default, printable), pdf (Chromium), csv (every table; --table ID for one), json
  --lang      zh (default) or en, for html and pdf
  --out       a file; for csv a folder (existing, or ending in /) gets one file per table.
              Default: stdout, except pdf (avlog-report-<company>-<month>-<lang>.pdf here)
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
      format: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      fleet: { type: 'string' },
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
  if (company !== 'all' && !isCompanyId(company)) throw new UsageError(`--company must be a company id or all (got "${company}")`);
  if (values.month === undefined) throw new UsageError('--month is required (YYYY-MM)');
  if (!isMonth(values.month)) throw new UsageError(`--month must be YYYY-MM (got "${values.month}")`);
  const format = oneOf('--format', values.format, REPORT_FORMATS) ?? 'html';
  const lang = oneOf('--lang', values.lang, ['zh', 'en'] as const) ?? 'zh';
  if (values.table !== undefined && format !== 'csv') throw new UsageError('--table applies to --format csv only');
  let fleet;
  if (values.fleet !== undefined) {
    try {
      fleet = loadFleetReference(values.fleet);
    } catch (e) {
      throw new UsageError(`--fleet: ${(e as Error).message}`);
    }
  }

  const db = await LakeDb.open(dataDirOf(values.data), { connections: 4 });
  try {
    const repo = new LakeRepository(db);
    const model = await buildReport(repo, UNSCOPED, { company, month: values.month, ...(fleet !== undefined ? { fleet } : {}) });
    if (!model.has_data) {
      process.stderr.write(`avlog report: no telemetry or events for ${company === 'all' ? 'any company' : `company ${company}`} in ${values.month}\n`);
      return 1;
    }
    const ids = reportTables(model).map((t) => t.id);
    if (values.table !== undefined && !ids.includes(values.table)) throw new UsageError(`--table must be one of ${ids.join(', ')} (got "${values.table}")`);
    const out = values.out;
    let written: string;
    if (format === 'csv' && out !== undefined && values.table === undefined && (out.endsWith('/') || out.endsWith(path.sep) || (fs.existsSync(out) && fs.statSync(out).isDirectory()))) {
      fs.mkdirSync(out, { recursive: true });
      for (const t of reportTables(model)) fs.writeFileSync(path.join(out, reportFileName(model, 'csv', lang, t.id)), tableCsv(t));
      written = `${ids.length} tables in ${out}`;
    } else {
      const body = await renderReport(model, format, { lang, ...(values.table !== undefined ? { table: values.table } : {}) });
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
      `report ${company} ${values.month} (${format}${format === 'html' || format === 'pdf' ? `, ${lang}` : ''}) → ${written}\n` +
        `fingerprint sha256:${model.fingerprint.sha256} (${model.fingerprint.sources} sources)` +
        `${model.flags.length ? ` · ${model.flags.length} flags${red ? `, ${red} red (stop testing)` : ''}` : ''}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}
