import { SourceError } from '../errors.js';
import type { JsonLines } from './json-lines.js';
import { findColumn, headerKey } from './layouts.js';
import {
  cleanName,
  cleanVin,
  companyIdOf,
  dmvFileName,
  dmvReportOf,
  isDriverlessPermit,
  KM_PER_MILE,
  monthRange,
  parseMonthHeader,
  parseReportedNumber,
  reportingYearOf,
  type YearMonth,
} from './normalize.js';
import { reject, ReadStats, type ReadContext } from './read-context.js';
import type { RegulatorCsv } from './records.js';

/** A row of the `mileage` table as staged (dates as `YYYY-MM-DD`). */
export interface MileageJson {
  company_id: string;
  manufacturer: string;
  vehicle_id: string;
  permit: string | null;
  driverless: boolean;
  report: string;
  report_year: number;
  period: 'month' | 'total';
  month: string;
  month_end: string;
  miles: number;
  km: number;
  disengagements: number | null;
  source_id: string;
  source_row: number;
}

const firstDay = (ym: YearMonth) => `${ym}-01`;

/**
 * A CA DMV mileage report: one row per VIN with its monthly autonomous miles, the annual total and the annual
 * disengagement count. Each VIN becomes one `total` row (the report's ANNUAL TOTAL for the whole period, as
 * filed: it is what the DMV's figures add up, and it does not always equal the sum of the months) and one
 * `month` row per non-blank month cell (exposure per vehicle per month). A row with an unreadable number is
 * quarantined whole; blank rows are spreadsheet padding and are skipped.
 */
export function readDmvMileage(csv: RegulatorCsv, ctx: ReadContext, out: JsonLines): ReadStats {
  const keys = csv.columns.map(headerKey);
  const at = (name: string) => keys.indexOf(name);
  const iMaker = at('MANUFACTURER');
  const iPermit = at('PERMIT NUMBER');
  const iVin = at('VIN NUMBER') >= 0 ? at('VIN NUMBER') : at('VIN');
  const iDis = findColumn(keys, (k) => k.startsWith('ANNUAL TOTAL OF DISENGAGEMENT'));
  const iTotal = at('ANNUAL TOTAL');
  const months = csv.columns
    .map((c, index) => ({ index, ym: parseMonthHeader(c) }))
    .filter((m): m is { index: number; ym: string } => m.ym !== null)
    .sort((a, b) => a.ym.localeCompare(b.ym));
  const first = months[0]?.ym;
  const last = months[months.length - 1]?.ym;
  if (!first || !last || iTotal < 0)
    throw new SourceError(ctx.name, { line: 1 }, 'CA DMV mileage header without month columns or ANNUAL TOTAL');
  if (new Set(months.map((m) => m.ym)).size !== months.length)
    throw new SourceError(ctx.name, { line: 1 }, 'CA DMV mileage header names a month twice');
  const span = monthRange(first, last).length;
  const reportYear = reportingYearOf(last);
  const fileName = dmvFileName(ctx.name);
  const stats = new ReadStats();
  stats.span(Date.UTC(Number(first.slice(0, 4)), Number(first.slice(5)) - 1, 1) * 1000);
  stats.span((Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5)), 1) - 1) * 1000);

  for (const rec of csv.records((b) => ctx.progress(b, stats.rowsIn))) {
    stats.rowsIn++;
    if (rec.defect) {
      reject(ctx, rec, rec.defect.reason, rec.defect.detail);
      continue;
    }
    const f = rec.fields;
    const manufacturer = cleanName(f[iMaker] ?? '');
    const vin = cleanVin(iVin >= 0 ? (f[iVin] ?? '') : '');
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
    let bad: string | null = null;
    const miles: { ym: string; value: number }[] = [];
    for (const m of months) {
      const v = parseReportedNumber(f[m.index]);
      if (v === null) continue;
      if (Number.isNaN(v) || v < 0) {
        bad = `${csv.columns[m.index]} is "${f[m.index]}"`;
        break;
      }
      miles.push({ ym: m.ym, value: v });
    }
    const total = parseReportedNumber(f[iTotal]);
    if (!bad && total !== null && (Number.isNaN(total) || total < 0)) bad = `ANNUAL TOTAL is "${f[iTotal]}"`;
    const dis = iDis >= 0 ? parseReportedNumber(f[iDis]) : null;
    if (!bad && dis !== null && (!Number.isInteger(dis) || dis < 0))
      bad = `Annual Total of Disengagements is "${f[iDis]}"`;
    if (bad) {
      reject(ctx, rec, 'bad_number', bad);
      continue;
    }
    const permit = iPermit >= 0 ? (f[iPermit] ?? '').trim() || null : null;
    const base = {
      company_id: company,
      manufacturer,
      vehicle_id: vin,
      permit,
      driverless: isDriverlessPermit(permit) || fileName.driverless,
      report: dmvReportOf(permit, span > 12 || fileName.firstTime, fileName.driverless),
      report_year: reportYear,
      source_id: ctx.sourceId,
      source_row: rec.line,
    };
    // A blank ANNUAL TOTAL is the sum of the months the row does give.
    const totalMiles = total ?? miles.reduce((a, m) => a + m.value, 0);
    const row: MileageJson = {
      ...base,
      period: 'total',
      month: firstDay(first),
      month_end: firstDay(last),
      miles: totalMiles,
      km: totalMiles * KM_PER_MILE,
      disengagements: dis,
    };
    out.push(row);
    for (const m of miles) {
      out.push({
        ...base,
        period: 'month',
        month: firstDay(m.ym),
        month_end: firstDay(m.ym),
        miles: m.value,
        km: m.value * KM_PER_MILE,
        disengagements: null,
      } satisfies MileageJson);
    }
    stats.rowsStored++;
  }
  return stats;
}
