import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { UsageError } from '../core/usage-error.js';
import type { DmvDisengagementDetail } from '../ingest/regulators/ca-dmv-disengagement.js';
import { DMV_DISENGAGEMENT_HEADER, DMV_MILEAGE_LEAD, DMV_MILEAGE_TOTAL } from '../ingest/regulators/layouts.js';
import {
  dmvMonthHeader,
  isYearMonth,
  KM_PER_MILE,
  monthRange,
  type YearMonth,
} from '../ingest/regulators/normalize.js';
import type { LakeRepository } from '../lake/repository.js';
import type { Scope } from '../lake/scope.js';
import { reconciledEventsCte } from '../lake/metrics/reconciled-events.js';
import { csvText } from './csv-writer.js';
import { englishName, type FleetReference } from '../reference/fleet-reference.js';

export interface CaDmvExportOptions {
  /** First and last month, `YYYY-MM`, inclusive (a DMV reporting year is `YYYY-1-12` … `YYYY-11`). */
  from: YearMonth;
  to: YearMonth;
  /** Company ids; all when absent. */
  company?: string[];
  /** Our fleet's register (VINs, permits, names); without it vehicle ids stand in for VINs. */
  fleet?: FleetReference | null;
}

export interface CaDmvExport {
  /** `mileage.csv` and `disengagements.csv` contents (UTF-8, no BOM: the writer adds it). */
  mileage: string;
  disengagements: string;
  vehicles: number;
  /** ANNUAL TOTAL and "Annual Total of Disengagements" summed over the mileage rows. */
  miles: number;
  disengagementCount: number;
  /** Rows of disengagements.csv. */
  disengagementRows: number;
  /** Rows from imported DMV reports, and from our own logs. */
  imported: { vehicles: number; disengagements: number };
  fleet: { vehicles: number; disengagements: number };
}

interface VehicleRow {
  manufacturer: string;
  permit: string | null;
  vin: string;
  order: string;
  months: Map<YearMonth, number>;
  /** Reported totals whose whole period lies in the window, with the months they cover. */
  reportedMiles: number;
  reportedDisengagements: number;
  covered: Set<YearMonth>;
  /** Report periods (`from..to`) whose totals are used: their disengagement rows are in the reported count. */
  coveredReports: Set<string>;
  /** Disengagements counted one by one (our fleet, or imported rows without a reported total). */
  counted: number;
  /** Our fleet: months without logs are 0, not blank. */
  fleet: boolean;
}

const keyOf = (company: string, permit: string | null, vin: string) => `${company}\u0001${permit ?? ''}\u0001${vin}`;

/** The first instant of a month in Beijing time (our fleet's months are local months). */
function beijingMonthStart(ym: YearMonth): string {
  return new Date(Date.parse(`${ym}-01T00:00:00+08:00`)).toISOString();
}

function nextMonth(ym: YearMonth): YearMonth {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function lastDay(ym: YearMonth): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return `${ym}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** `2021-03-04` (+ `10:39:23`) → `3/4/2021` (`3/4/2021 10:39:23`): the DMV files' most common shape. */
function dmvDate(isoDate: string, time: string | null): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return `${m}/${d}/${y}${time ? ` ${time}` : ''}`;
}

const INITIATED_BY: Record<string, string> = {
  system: 'AV System',
  driver: 'Test Driver',
  remote: 'Remote Operator',
  passenger: 'Passenger',
};
const yesNo = (b: boolean | null | undefined) => (b === true ? 'Yes' : b === false ? 'No' : '');

/**
 * Builds the CA DMV mileage and disengagement reports for a span of months, column for column as the DMV
 * publishes them, from imported DMV reports and from our own logs:
 *
 * - Imported reports: month columns are the reports' month figures. A report whose whole period lies in the
 *   span contributes its own ANNUAL TOTAL and disengagement count as filed (so exporting a reporting year that
 *   was imported gives back the DMV's totals exactly) and all its disengagement rows, whatever their dates; a
 *   report only partly in the span contributes the months and the disengagements dated inside it.
 * - Our fleet: autonomous km per vehicle per local month (Asia/Shanghai) from telemetry, in miles, and the
 *   disengagements the metrics count (logged ones plus detected autonomy exits that no logged event explains).
 *   VIN, permit, manufacturer name and driver flags come from the fleet register when given; else the vehicle
 *   id stands in for the VIN and the company id for the manufacturer.
 */
export async function buildCaDmvExport(
  repo: LakeRepository,
  scope: Scope,
  opts: CaDmvExportOptions,
): Promise<CaDmvExport> {
  if (!isYearMonth(opts.from) || !isYearMonth(opts.to))
    throw new UsageError(`--from and --to must be months YYYY-MM (got "${opts.from}", "${opts.to}")`);
  if (opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);
  const months = monthRange(opts.from, opts.to);
  if (months.length > 120) throw new UsageError('at most 120 months in one export');
  const fleet = opts.fleet ?? null;
  const registered = new Map((fleet?.vehicles ?? []).map((v) => [v.id, v]));
  // DuckDB refuses parameters a statement does not use: one set per statement.
  const co: Record<string, DuckDBValue> = {};
  const companies = opts.company?.length
    ? `company_id IN (${opts.company.map((c, i) => ((co[`co_${i}`] = c), `$co_${i}`)).join(', ')})`
    : 'true';
  const mileageParams = { ...co, from_day: `${opts.from}-01`, to_day: `${opts.to}-01` };
  const eventParams = { ...co, from: opts.from, to: opts.to, from_day: `${opts.from}-01`, to_last: lastDay(opts.to) };

  const [monthRows, totalRows, imported] = await Promise.all([
    repo.query(
      scope,
      `SELECT company_id, manufacturer, vehicle_id, permit, strftime(month, '%Y-%m') AS ym, miles, source_id, source_row
       FROM mileage WHERE period = 'month' AND month BETWEEN $from_day::DATE AND $to_day::DATE AND ${companies}`,
      mileageParams,
    ),
    repo.query(
      scope,
      `SELECT company_id, manufacturer, vehicle_id, permit, strftime(month, '%Y-%m') AS m0, strftime(month_end, '%Y-%m') AS m1, miles, disengagements, source_id, source_row
       FROM mileage WHERE period = 'total' AND month >= $from_day::DATE AND month_end <= $to_day::DATE AND ${companies}`,
      mileageParams,
    ),
    repo.query(
      scope,
      `SELECT company_id, vehicle_id, cause, detail, source_id, source_row FROM (
         SELECT *, json_extract_string(detail, '$.report_from') AS rf, json_extract_string(detail, '$.report_to') AS rt,
           json_extract_string(detail, '$.local_date') AS ld
         FROM events WHERE origin = 'imported' AND kind = 'disengagement' AND json_extract_string(detail, '$.format') = 'ca-dmv-disengagement' AND ${companies})
       WHERE (rf >= $from AND rt <= $to) OR (ld >= $from_day AND ld <= $to_last)`,
      eventParams,
    ),
  ]);

  const fleetFilter = {
    from: beijingMonthStart(opts.from),
    to: beijingMonthStart(nextMonth(opts.to)),
    ...(opts.company?.length ? { company: opts.company } : {}),
  };
  const fleetParams: Record<string, DuckDBValue> = { f_from: `${opts.from}-01`, f_to: lastDay(opts.to) };
  const fleetCompanies = opts.company?.length
    ? `company_id IN (${opts.company.map((c, i) => ((fleetParams[`fc_${i}`] = c), `$fc_${i}`)).join(', ')})`
    : 'true';
  const cte = reconciledEventsCte(fleetFilter, false);
  const [fleetKm, fleetEvents] = await Promise.all([
    repo.query(
      scope,
      `SELECT company_id, vehicle_id, strftime(local_date, '%Y-%m') AS ym, coalesce(sum(seg_m) FILTER (WHERE mode = 'autonomous'), 0) / 1000 AS km
       FROM telemetry WHERE date BETWEEN $f_from::DATE AND $f_to::DATE AND ${fleetCompanies} GROUP BY ALL`,
      fleetParams,
    ),
    repo.query(
      scope,
      `WITH ${cte.sql}
       SELECT company_id, vehicle_id, epoch_us(ts) AS ts_us, strftime(local_date, '%Y-%m-%d') AS day, initiator, cause, origin, source_id, source_row
       FROM ev_reconciled WHERE kind = 'disengagement' AND origin <> 'imported'`,
      cte.params,
    ),
  ]);

  const vehicles = new Map<string, VehicleRow>();
  const vehicle = (
    company: string,
    manufacturer: string,
    permit: string | null,
    vin: string,
    order: string,
    isFleet: boolean,
  ) => {
    const key = keyOf(company, permit, vin);
    let v = vehicles.get(key);
    if (!v) {
      v = {
        manufacturer,
        permit,
        vin,
        order,
        months: new Map(),
        reportedMiles: 0,
        reportedDisengagements: 0,
        covered: new Set(),
        coveredReports: new Set(),
        counted: 0,
        fleet: isFleet,
      };
      vehicles.set(key, v);
    }
    if (order < v.order) v.order = order;
    return v;
  };
  const importedOrder = (r: Record<string, unknown>) => `${r.source_id}:${String(r.source_row).padStart(12, '0')}`;

  for (const r of totalRows) {
    const v = vehicle(
      String(r.company_id),
      String(r.manufacturer),
      (r.permit as string | null) ?? null,
      String(r.vehicle_id),
      importedOrder(r),
      false,
    );
    v.reportedMiles += Number(r.miles);
    v.reportedDisengagements += Number(r.disengagements ?? 0);
    for (const m of monthRange(String(r.m0), String(r.m1))) v.covered.add(m);
    v.coveredReports.add(`${r.m0}..${r.m1}`);
  }
  for (const r of monthRows) {
    const v = vehicle(
      String(r.company_id),
      String(r.manufacturer),
      (r.permit as string | null) ?? null,
      String(r.vehicle_id),
      importedOrder(r),
      false,
    );
    const ym = String(r.ym);
    v.months.set(ym, (v.months.get(ym) ?? 0) + Number(r.miles));
  }

  interface OutEvent {
    manufacturer: string;
    order: string;
    cells: string[];
  }
  const events: OutEvent[] = [];
  for (const r of imported) {
    const d = JSON.parse(String(r.detail)) as DmvDisengagementDetail;
    const v = vehicle(String(r.company_id), d.manufacturer, d.permit, d.vin, importedOrder(r), false);
    const inReport = v.coveredReports.has(`${d.report_from}..${d.report_to}`);
    if (!inReport) v.counted++;
    events.push({
      manufacturer: d.manufacturer,
      order: `${d.local_date} ${d.local_time ?? ''} ${importedOrder(r)}`,
      cells: [
        d.manufacturer,
        d.permit ?? '',
        dmvDate(d.local_date, d.local_time),
        d.vin,
        d.capable_without_driver ?? '',
        d.driver_present ?? '',
        d.initiated_by ?? '',
        d.location ?? '',
        String(r.cause ?? ''),
      ],
    });
  }
  const importedVehicles = vehicles.size;

  const fleetName = (company: string) => englishName(fleet, company);
  const fleetVehicle = (company: string, id: string) => {
    const reg = registered.get(id);
    return vehicle(company, fleetName(company), reg?.permit ?? null, reg?.vin ?? id, `~fleet:${company}:${id}`, true);
  };
  for (const r of fleetKm) {
    const v = fleetVehicle(String(r.company_id), String(r.vehicle_id));
    const ym = String(r.ym);
    v.months.set(ym, (v.months.get(ym) ?? 0) + Number(r.km) / KM_PER_MILE);
  }
  let fleetDisengagements = 0;
  for (const r of fleetEvents) {
    const company = String(r.company_id);
    const id = String(r.vehicle_id);
    const v = fleetVehicle(company, id);
    v.counted++;
    fleetDisengagements++;
    const reg = registered.get(id);
    const local = new Date(Number(r.ts_us) / 1000 + 8 * 3600_000).toISOString();
    const cause =
      (r.cause as string | null) ?? (r.origin === 'detected' ? 'autonomous mode ended (detected from the log)' : '');
    events.push({
      manufacturer: v.manufacturer,
      order: `${r.day} ${local.slice(11, 19)} ~fleet:${id}`,
      cells: [
        v.manufacturer,
        v.permit ?? '',
        dmvDate(String(r.day), local.slice(11, 19)),
        v.vin,
        yesNo(reg?.driverless),
        yesNo(reg?.safety_driver),
        INITIATED_BY[String(r.initiator)] ?? '',
        '',
        cause,
      ],
    });
  }

  const rows = [...vehicles.values()].sort(
    (a, b) =>
      a.manufacturer.localeCompare(b.manufacturer) || a.order.localeCompare(b.order) || a.vin.localeCompare(b.vin),
  );
  const header = [...DMV_MILEAGE_LEAD, ...months.map(dmvMonthHeader), DMV_MILEAGE_TOTAL];
  let miles = 0;
  let disengagementCount = 0;
  const mileageRows = rows.map((v) => {
    // Our fleet's miles are printed to 0.01 mile, and its total is the sum of what is printed.
    const cells = months.map((m) => {
      const x = v.months.get(m);
      if (x === undefined) return v.fleet ? 0 : null;
      return v.fleet ? Math.round(x * 100) / 100 : x;
    });
    const uncovered = months.reduce((a, m, i) => (v.covered.has(m) ? a : a + (cells[i] ?? 0)), 0);
    const total = v.reportedMiles + (v.fleet ? Math.round(uncovered * 100) / 100 : uncovered);
    const dis = v.reportedDisengagements + v.counted;
    miles += total;
    disengagementCount += dis;
    return [v.manufacturer, v.permit, v.vin, dis, ...cells, total];
  });
  events.sort((a, b) => a.manufacturer.localeCompare(b.manufacturer) || a.order.localeCompare(b.order));
  return {
    mileage: csvText([header, ...mileageRows]),
    disengagements: csvText([[...DMV_DISENGAGEMENT_HEADER], ...events.map((e) => e.cells)]),
    vehicles: rows.length,
    miles,
    disengagementCount,
    disengagementRows: events.length,
    imported: { vehicles: importedVehicles, disengagements: imported.length },
    fleet: { vehicles: rows.length - importedVehicles, disengagements: fleetDisengagements },
  };
}

/** Writes `mileage.csv` and `disengagements.csv` (UTF-8 with a BOM, as the DMV's own files) into `outDir`. */
export function writeCaDmvExport(outDir: string, report: CaDmvExport): { mileage: string; disengagements: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const files = { mileage: path.join(outDir, 'mileage.csv'), disengagements: path.join(outDir, 'disengagements.csv') };
  fs.writeFileSync(files.mileage, `\uFEFF${report.mileage}`);
  fs.writeFileSync(files.disengagements, `\uFEFF${report.disengagements}`);
  return files;
}
