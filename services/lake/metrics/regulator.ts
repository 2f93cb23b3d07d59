import type { DuckDBValue } from '@duckdb/node-api';
import { DMV_REPORTS, reportingYearMonths, type DmvReport } from '../../ingest/regulators/normalize.js';
import type { SgoSystem } from '../../ingest/regulators/nhtsa-sgo.js';
import type { LakeRepository } from '../repository.js';
import type { Scope } from '../scope.js';
import { SEVERITY_RANK_SQL } from './vocabulary-sql.js';

/**
 * Figures over imported regulator data, computed the way the regulators' own published figures are:
 *
 * - CA DMV: a reporting year (December – November) is what the reports filed for it say. Miles are the reports'
 *   ANNUAL TOTAL column summed (not the month columns, which some manufacturers' totals do not match);
 *   disengagements are the rows of the disengagement reports filed for that year, whatever their dates say.
 *   `report` picks the DMV's report: `annual` (testing with a safety driver, the DMV's headline figures),
 *   `driverless`, `first_time` (first reports, covering more than one year) or `all`.
 * - NHTSA SGO: only the latest version of each report counts (across every imported release); a crash is an
 *   incident, and reports of one incident by several entities (operator and manufacturer) share NHTSA's
 *   "Same Incident ID", so a crash counts once in a total and once for each entity that reported it.
 */

export type DmvReportChoice = DmvReport | 'all';

export interface DmvFigures {
  /** Autonomous miles: the reports' annual totals. */
  miles: number;
  km: number;
  /** VINs listed in the mileage reports, and those with miles > 0. */
  vehicles: number;
  vehicles_driven: number;
  /** Rows of the disengagement reports. */
  disengagements: number;
  /** The mileage reports' own "Annual Total of Disengagements" column, summed (null without mileage reports). */
  reported_disengagements: number | null;
  miles_per_disengagement: number | null;
  disengagements_per_1000_miles: number | null;
  by_initiator: Record<string, number>;
}

export interface DmvManufacturer extends DmvFigures {
  company_id: string;
  /** The names the reports wrote for this company (`ZOOX, INC`, `ZOOX INC`). */
  manufacturers: string[];
}

export interface DmvYear {
  year: number;
  report: DmvReportChoice;
  /** First and last month of the reporting year, `YYYY-MM`. */
  months: [string, string];
  total: DmvFigures;
  manufacturers: DmvManufacturer[];
}

export interface DmvYearQuery {
  year: number;
  report?: DmvReportChoice;
  company?: string[];
}

function inList(
  column: string,
  values: readonly string[] | undefined,
  name: string,
  params: Record<string, DuckDBValue>,
): string {
  if (!values?.length) return 'true';
  return `${column} IN (${values.map((v, i) => ((params[`${name}_${i}`] = v), `$${name}_${i}`)).join(', ')})`;
}

function reportsOf(report: DmvReportChoice): readonly string[] {
  return report === 'all' ? DMV_REPORTS : [report];
}

const DMV_EVENT = `origin = 'imported' AND kind = 'disengagement' AND json_extract_string(detail, '$.format') = 'ca-dmv-disengagement'`;

function ratios(
  miles: number,
  n: number,
): Pick<DmvFigures, 'miles_per_disengagement' | 'disengagements_per_1000_miles'> {
  return {
    miles_per_disengagement: n > 0 ? miles / n : null,
    disengagements_per_1000_miles: miles > 0 ? (n / miles) * 1000 : null,
  };
}

/** CA DMV figures of one reporting year, per manufacturer (normalised company id) and in total. */
export async function dmvYear(repo: LakeRepository, scope: Scope, q: DmvYearQuery): Promise<DmvYear> {
  const report = q.report ?? 'annual';
  const params: Record<string, DuckDBValue> = { year: q.year };
  const reports = inList('report', reportsOf(report), 'rep', params);
  const companies = inList('company_id', q.company, 'co', params);
  const eventReports = inList("json_extract_string(detail, '$.report')", reportsOf(report), 'rep', params);
  const [miles, events] = await Promise.all([
    repo.query(
      scope,
      `WITH v AS (
         SELECT company_id, vehicle_id, sum(miles) AS miles, sum(km) AS km, sum(disengagements) AS dis, count(disengagements) AS dis_n
         FROM mileage WHERE period = 'total' AND report_year = $year AND ${reports} AND ${companies}
         GROUP BY company_id, vehicle_id
       ), names AS (
         SELECT company_id, list(DISTINCT manufacturer ORDER BY manufacturer) AS names
         FROM mileage WHERE period = 'total' AND report_year = $year AND ${reports} AND ${companies} GROUP BY company_id
       )
       SELECT v.company_id, any_value(names.names) AS names, sum(miles) AS miles, sum(km) AS km, count(*)::INTEGER AS vehicles,
         (count(*) FILTER (WHERE miles > 0))::INTEGER AS driven, sum(dis)::INTEGER AS dis, sum(dis_n)::INTEGER AS dis_n
       FROM v JOIN names USING (company_id) GROUP BY v.company_id`,
      params,
    ),
    repo.query(
      scope,
      `SELECT company_id, coalesce(initiator, 'unknown') AS initiator, count(*)::INTEGER AS n,
         list(DISTINCT json_extract_string(detail, '$.manufacturer')) AS names
       FROM events
       WHERE ${DMV_EVENT} AND TRY_CAST(json_extract(detail, '$.report_year') AS INTEGER) = $year
         AND ${eventReports} AND ${companies}
       GROUP BY ALL`,
      params,
    ),
  ]);
  const rows = new Map<string, DmvManufacturer & { names: Set<string> }>();
  const row = (company: string) => {
    let r = rows.get(company);
    if (!r) {
      r = {
        company_id: company,
        manufacturers: [],
        names: new Set(),
        miles: 0,
        km: 0,
        vehicles: 0,
        vehicles_driven: 0,
        disengagements: 0,
        reported_disengagements: null,
        miles_per_disengagement: null,
        disengagements_per_1000_miles: null,
        by_initiator: {},
      };
      rows.set(company, r);
    }
    return r;
  };
  for (const m of miles) {
    const r = row(String(m.company_id));
    for (const n of (m.names as string[] | null) ?? []) r.names.add(n);
    r.miles = Number(m.miles ?? 0);
    r.km = Number(m.km ?? 0);
    r.vehicles = Number(m.vehicles);
    r.vehicles_driven = Number(m.driven);
    r.reported_disengagements = Number(m.dis_n) > 0 ? Number(m.dis) : null;
  }
  for (const e of events) {
    const r = row(String(e.company_id));
    for (const n of (e.names as (string | null)[] | null) ?? []) if (n) r.names.add(n);
    const n = Number(e.n);
    r.disengagements += n;
    r.by_initiator[String(e.initiator)] = (r.by_initiator[String(e.initiator)] ?? 0) + n;
  }
  const manufacturers = [...rows.values()]
    .map(({ names, ...r }) => ({ ...r, manufacturers: [...names].sort(), ...ratios(r.miles, r.disengagements) }))
    .sort((a, b) => a.company_id.localeCompare(b.company_id));
  const total: DmvFigures = {
    miles: 0,
    km: 0,
    vehicles: 0,
    vehicles_driven: 0,
    disengagements: 0,
    reported_disengagements: null,
    miles_per_disengagement: null,
    disengagements_per_1000_miles: null,
    by_initiator: {},
  };
  for (const r of manufacturers) {
    total.miles += r.miles;
    total.km += r.km;
    total.vehicles += r.vehicles;
    total.vehicles_driven += r.vehicles_driven;
    total.disengagements += r.disengagements;
    if (r.reported_disengagements !== null)
      total.reported_disengagements = (total.reported_disengagements ?? 0) + r.reported_disengagements;
    for (const [k, n] of Object.entries(r.by_initiator)) total.by_initiator[k] = (total.by_initiator[k] ?? 0) + n;
  }
  Object.assign(total, ratios(total.miles, total.disengagements));
  return { year: q.year, report, months: reportingYearMonths(q.year), total, manufacturers };
}

export interface ImportedMileageQuery {
  /** Months `YYYY-MM`, inclusive. */
  from?: string;
  to?: string;
  company?: string[];
  report?: DmvReportChoice;
  by?: 'company' | 'vehicle';
}

export interface ImportedMileageRow {
  company_id: string;
  vehicle_id: string | null;
  month: string;
  miles: number;
  km: number;
  vehicles: number;
}

/** Exposure as the DMV reports state it month by month (the month columns), per company or per vehicle. */
export async function importedMileage(
  repo: LakeRepository,
  scope: Scope,
  q: ImportedMileageQuery,
): Promise<ImportedMileageRow[]> {
  const params: Record<string, DuckDBValue> = {};
  const where = [
    `period = 'month'`,
    inList('report', reportsOf(q.report ?? 'all'), 'rep', params),
    inList('company_id', q.company, 'co', params),
  ];
  if (q.from) {
    where.push(`month >= $from::DATE`);
    params.from = `${q.from}-01`;
  }
  if (q.to) {
    where.push(`month <= $to::DATE`);
    params.to = `${q.to}-01`;
  }
  const vehicle = q.by === 'vehicle';
  const rows = await repo.query(
    scope,
    `SELECT company_id, ${vehicle ? 'vehicle_id' : 'NULL::VARCHAR AS vehicle_id'}, strftime(month, '%Y-%m') AS month, sum(miles) AS miles, sum(km) AS km,
       count(DISTINCT vehicle_id)::INTEGER AS vehicles
     FROM mileage WHERE ${where.join(' AND ')} GROUP BY ALL ORDER BY 1, 2, 3`,
    params,
  );
  return rows.map((r) => ({
    company_id: String(r.company_id),
    vehicle_id: (r.vehicle_id as string | null) ?? null,
    month: String(r.month),
    miles: Number(r.miles),
    km: Number(r.km),
    vehicles: Number(r.vehicles),
  }));
}

export interface SgoQuery {
  system?: SgoSystem;
  /** Incident months `YYYY-MM`, inclusive. */
  from?: string;
  to?: string;
  company?: string[];
}

export interface SgoEntity {
  company_id: string;
  /** Reporting entity names as written. */
  entities: string[];
  crashes: number;
  reports: number;
}

export interface SgoSystemFigures {
  system: SgoSystem;
  /** Distinct incidents over the latest versions of the reports. */
  crashes: number;
  /** Reports (latest versions). */
  reports: number;
  /** Reporting entities (normalised company ids). */
  entities: number;
  /** Crashes by the worst injury any report of the crash gives. */
  by_severity: Record<string, number>;
  by_entity: SgoEntity[];
}

/** NHTSA SGO crashes and reporting entities per automation level (ADS, Level 2 ADAS), latest report versions only. */
export async function sgoCrashes(repo: LakeRepository, scope: Scope, q: SgoQuery = {}): Promise<SgoSystemFigures[]> {
  const params: Record<string, DuckDBValue> = {};
  const where = ['true', inList('company_id', q.company, 'co', params)];
  if (q.system) {
    where.push('system = $system');
    params.system = q.system;
  }
  if (q.from) {
    where.push('incident_month >= $from');
    params.from = q.from;
  }
  if (q.to) {
    where.push('incident_month <= $to');
    params.to = q.to;
  }
  const latest = `r AS (
      SELECT company_id, severity, ts,
        json_extract_string(detail, '$.system') AS system,
        json_extract_string(detail, '$.report_id') AS report_id,
        TRY_CAST(json_extract(detail, '$.report_version') AS INTEGER) AS version,
        json_extract_string(detail, '$.entity') AS entity,
        json_extract_string(detail, '$.incident_id') AS incident_id,
        substr(json_extract_string(detail, '$.local_date'), 1, 7) AS incident_month
      FROM events WHERE origin = 'imported' AND kind = 'collision' AND json_extract_string(detail, '$.format') = 'nhtsa-sgo'
    ), latest AS (
      SELECT *, coalesce(incident_id, 'report ' || report_id) AS incident, ${SEVERITY_RANK_SQL} AS rank FROM r
      QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY version DESC, ts DESC) = 1
    ), picked AS (SELECT * FROM latest WHERE ${where.join(' AND ')})`;
  const [entities, totals] = await Promise.all([
    repo.query(
      scope,
      `WITH ${latest}
       SELECT system, company_id, list(DISTINCT entity ORDER BY entity) AS names, count(DISTINCT incident)::INTEGER AS crashes, count(*)::INTEGER AS reports
       FROM picked GROUP BY ALL ORDER BY system, crashes DESC, company_id`,
      params,
    ),
    repo.query(
      scope,
      `WITH ${latest}, crash AS (SELECT system, incident, arg_max(severity, rank) FILTER (WHERE rank > 0) AS severity FROM picked GROUP BY ALL)
       SELECT system, coalesce(severity, 'unknown') AS severity, count(*)::INTEGER AS n
       FROM crash GROUP BY ALL`,
      params,
    ),
  ]);
  const out = new Map<string, SgoSystemFigures>();
  const fig = (system: string) => {
    let f = out.get(system);
    if (!f) {
      f = { system: system as SgoSystem, crashes: 0, reports: 0, entities: 0, by_severity: {}, by_entity: [] };
      out.set(system, f);
    }
    return f;
  };
  for (const e of entities) {
    const f = fig(String(e.system));
    f.by_entity.push({
      company_id: String(e.company_id),
      entities: (e.names as string[] | null) ?? [],
      crashes: Number(e.crashes),
      reports: Number(e.reports),
    });
    f.entities++;
    f.reports += Number(e.reports);
  }
  for (const t of totals) {
    const f = fig(String(t.system));
    const n = Number(t.n);
    f.crashes += n;
    f.by_severity[String(t.severity)] = (f.by_severity[String(t.severity)] ?? 0) + n;
  }
  return [...out.values()].sort((a, b) => a.system.localeCompare(b.system));
}
