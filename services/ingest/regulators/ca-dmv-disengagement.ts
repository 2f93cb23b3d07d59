import crypto from 'node:crypto';
import { SourceError } from '../errors.js';
import { parseInitiator } from '../normalize/event-vocab.js';
import type { JsonLines } from './json-lines.js';
import { headerKey } from './layouts.js';
import {
  CALIFORNIA_ZONE,
  cleanName,
  cleanVin,
  companyIdOf,
  dmvFileName,
  dmvReportOf,
  isoDate,
  isoTime,
  parseRegulatorDate,
  reportingYearMonths,
  reportingYearOf,
  zonedToUtcMs,
  type DmvReport,
} from './normalize.js';
import { reject, ReadStats, type ReadContext } from './read-context.js';
import type { RegulatorCsv } from './records.js';

/** An `events` row as staged for `LakeWriter.writeEvents` (instants as µs). */
export interface EventJson {
  event_id: string;
  company_id: string;
  vehicle_id: string;
  drive_id: null;
  ts_us: number;
  ts_end_us: null;
  lat: null;
  lon: null;
  kind: 'disengagement' | 'collision';
  severity: string | null;
  initiator: string | null;
  cause: string | null;
  origin: 'imported';
  speed_mps: number | null;
  peak: null;
  district: null;
  detail: string;
  source_id: string;
  source_row: number;
}

/** What an imported CA DMV disengagement keeps in `detail` (JSON): every column but the description, plus its report. */
export interface DmvDisengagementDetail {
  format: 'ca-dmv-disengagement';
  report: DmvReport;
  report_year: number;
  /** Months the report covers, `YYYY-MM`. */
  report_from: string;
  report_to: string;
  manufacturer: string;
  permit: string | null;
  vin: string;
  /** The date as written, and as read (California local). */
  date: string;
  local_date: string;
  local_time: string | null;
  capable_without_driver: string | null;
  driver_present: string | null;
  initiated_by: string | null;
  location: string | null;
}

interface Columns {
  maker: number;
  permit: number;
  date: number;
  vin: number;
  capable: number;
  present: number;
  initiator: number;
  location: number;
  description: number;
}

function columnsOf(csv: RegulatorCsv, file: string): Columns {
  const keys = csv.columns.map(headerKey);
  const starts = (p: string) => keys.findIndex((k) => k.startsWith(p));
  const cols: Columns = {
    maker: keys.indexOf('MANUFACTURER'),
    permit: keys.indexOf('PERMIT NUMBER'),
    date: keys.indexOf('DATE'),
    vin: keys.indexOf('VIN NUMBER') >= 0 ? keys.indexOf('VIN NUMBER') : keys.indexOf('VIN'),
    capable: starts('VEHICLE IS CAPABLE'),
    present: starts('DRIVER PRESENT'),
    initiator: starts('DISENGAGEMENT INITIATED BY'),
    location: starts('DISENGAGEMENT LOCATION'),
    description: starts('DESCRIPTION OF FACTS'),
  };
  if (cols.maker < 0 || cols.date < 0 || cols.vin < 0)
    throw new SourceError(file, { line: 1 }, 'CA DMV disengagement header without Manufacturer, DATE or VIN NUMBER');
  return cols;
}

/**
 * The reporting year a disengagement file was filed for: from the DMV's file name (`2021-Autonomous-…` → 2021,
 * `2020-21-…` → 2021), else the reporting year (December–November) most of its dates fall in. A report lists
 * some disengagements dated outside its year (typos, late entries); they still belong to that report and
 * count in its year, which is how the DMV's totals are made.
 */
function reportYearOf(open: () => RegulatorCsv, ctx: ReadContext): number {
  const named = dmvFileName(ctx.name).year;
  if (named !== null) return named;
  const csv = open();
  try {
    const date = columnsOf(csv, ctx.name).date;
    const votes = new Map<number, number>();
    for (const rec of csv.records()) {
      const d = parseRegulatorDate(rec.fields[date]);
      if (!d) continue;
      const y = reportingYearOf(`${d.year}-${String(d.month).padStart(2, '0')}`);
      votes.set(y, (votes.get(y) ?? 0) + 1);
    }
    let best: number | null = null;
    for (const [y, n] of votes)
      if (best === null || n > (votes.get(best) ?? 0) || (n === votes.get(best) && y > best)) best = y;
    if (best === null)
      throw new SourceError(ctx.name, {}, 'no readable DATE in the file: cannot tell which reporting year it reports');
    return best;
  } finally {
    csv.close();
  }
}

const blankToNull = (s: string | undefined) => {
  const t = (s ?? '').replace(/\s+/gu, ' ').trim();
  return t ? t : null;
};

/**
 * A CA DMV disengagement report: one imported `disengagement` event per row. The date (any of the shapes
 * regulators write) is California local time; the initiator is normalised from free text (`Test Driver`,
 * `AV System - Emergency Stop`, `Software`, …), the description is the cause, and every other column, the
 * reporting year and the report (`annual`, `driverless`, `first_time`) go to `detail`. Identical rows are kept:
 * each is a disengagement the manufacturer reported.
 */
export function readDmvDisengagements(open: () => RegulatorCsv, ctx: ReadContext, out: JsonLines): ReadStats {
  const year = reportYearOf(open, ctx);
  const name = dmvFileName(ctx.name);
  const longer = name.multiYear || name.firstTime;
  const [annualFrom, annualTo] = reportingYearMonths(year);
  // A first report covers everything since the permit; the DMV's two-year files start in January of the first year.
  const reportFrom = name.multiYear ? `${year - 1}-01` : annualFrom;
  const csv = open();
  const stats = new ReadStats();
  const seen = new Map<string, number>();
  try {
    const c = columnsOf(csv, ctx.name);
    for (const rec of csv.records((b) => ctx.progress(b, stats.rowsIn))) {
      stats.rowsIn++;
      if (rec.defect) {
        reject(ctx, rec, rec.defect.reason, rec.defect.detail);
        continue;
      }
      const f = rec.fields;
      const manufacturer = cleanName(f[c.maker] ?? '');
      const vin = cleanVin(f[c.vin] ?? '');
      const dateText = (f[c.date] ?? '').trim();
      if (!manufacturer) {
        reject(ctx, rec, 'missing_field', 'Manufacturer is blank');
        continue;
      }
      if (!vin) {
        reject(ctx, rec, 'missing_field', 'VIN NUMBER is blank');
        continue;
      }
      const company = companyIdOf(manufacturer);
      if (!company) {
        reject(ctx, rec, 'bad_identifier', `manufacturer "${manufacturer}" gives no company id`);
        continue;
      }
      const date = parseRegulatorDate(dateText);
      if (!date || date.day === null) {
        reject(
          ctx,
          rec,
          dateText ? 'bad_timestamp' : 'missing_field',
          dateText ? `DATE "${dateText}" is not a date` : 'DATE is blank',
        );
        continue;
      }
      const permit = c.permit >= 0 ? blankToNull(f[c.permit]) : null;
      const initiatedBy = c.initiator >= 0 ? blankToNull(f[c.initiator]) : null;
      // The description is kept as written (line breaks included); only surrounding blanks go.
      const description = c.description >= 0 ? (f[c.description] ?? '').trim() || null : null;
      const tsMs = zonedToUtcMs(date, CALIFORNIA_ZONE);
      const detail: DmvDisengagementDetail = {
        format: 'ca-dmv-disengagement',
        report: dmvReportOf(permit, longer, name.driverless),
        report_year: year,
        report_from: reportFrom,
        report_to: annualTo,
        manufacturer,
        permit,
        vin,
        date: dateText,
        local_date: isoDate(date),
        local_time: isoTime(date),
        capable_without_driver: c.capable >= 0 ? blankToNull(f[c.capable]) : null,
        driver_present: c.present >= 0 ? blankToNull(f[c.present]) : null,
        initiated_by: initiatedBy,
        location: c.location >= 0 ? blankToNull(f[c.location]) : null,
      };
      // Deterministic ids: the same report read again (another copy, another encoding) gives the same ids;
      // identical rows within a report are told apart by their occurrence.
      const key = crypto
        .createHash('sha1')
        .update(
          [
            'ca-dmv',
            company,
            vin,
            permit ?? '',
            detail.local_date,
            detail.local_time ?? '',
            initiatedBy ?? '',
            description ?? '',
            year,
          ].join('\u0001'),
        )
        .digest('hex');
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const row: EventJson = {
        event_id: n === 1 ? key : crypto.createHash('sha1').update(`${key}\u0001${n}`).digest('hex'),
        company_id: company,
        vehicle_id: vin,
        drive_id: null,
        ts_us: tsMs * 1000,
        ts_end_us: null,
        lat: null,
        lon: null,
        kind: 'disengagement',
        severity: null,
        initiator: initiatedBy ? parseInitiator(initiatedBy) : null,
        cause: description,
        origin: 'imported',
        speed_mps: null,
        peak: null,
        district: null,
        detail: JSON.stringify(detail),
        source_id: ctx.sourceId,
        source_row: rec.line,
      };
      out.push(row);
      stats.rowsStored++;
      stats.span(tsMs * 1000);
    }
  } finally {
    csv.close();
  }
  return stats;
}
