import fs from 'node:fs';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { LakeRepository } from '../lake/repository.js';
import type { Scope } from '../lake/scope.js';
import { exposure } from '../lake/metrics/exposure.js';
import { whereOf, type MetricFilter } from '../lake/metrics/filters.js';
import { reconciledEventsCte } from '../lake/metrics/reconciled-events.js';
import { rollupServes } from '../lake/metrics/rollup-coverage.js';
import { ROLLUP_PARAMS } from '../ingest/lake/rollup.js';
import { INCIDENT_COLUMNS, type Incident } from '../lake/incidents/incident.js';
import type { FleetReference } from '../reference/fleet-reference.js';
import { lakeFiles } from './lake-files.js';
import { previousPeriod, type Period } from './period.js';
import { detailRollupSql, lightRollupSql } from './rollup-sql.js';
import type { ReportThresholds } from './thresholds.js';

/**
 * Everything a report is computed from, fetched with a few lake queries (all through `repo.query`, so the
 * caller's scope applies):
 *
 * 1. `detail` — ONE pass over the report month's telemetry (plus the minutes around it that incident windows
 *    reach into), grouped by drive, source, day, local hour, mode, district, ADS version and minute of the drive.
 *    Every telemetry figure of the report is a sum over these rows; exposure sums are the metrics' (Σ seg_m, Σ dt_s
 *    in the later sample's mode and day). The minute rows carry their mean position (the map's routes) and time
 *    span (the timeline that places events in a drive), and every sample that ends an interval longer than the
 *    window edge tolerance is a row of its own (recording gaps; the exact incident-window check).
 * 2. `light` — the previous month, for month-over-month figures: the same sums by vehicle, day, mode and version,
 *    without reading positions or times.
 * 3. `events` — the events of both months through `reconciledEventsCte` (the metrics' reconciliation of logged
 *    and detected disengagements), each flagged whether the metrics count it.
 * 4. `history` — autonomous exposure of earlier months (the metrics' `exposure`, by company and month), and the
 *    collisions and violations before, for the cumulative approval gates; skipped when the lake has no earlier
 *    partitions.
 * 5. quarantined rows of the month's sources. The contributing sources themselves (for the fingerprint) are read
 *    from the lake's partition folders: file names start with the source id.
 */
export interface RollupRow {
  part: 'detail' | 'light';
  company_id: string;
  vehicle_id: string;
  /** Detail rows only. */
  drive_id: string | null;
  month: string;
  day: string;
  hour: number | null;
  mode: string;
  district: string | null;
  ads_version: string | null;
  n: number;
  /** Σ seg_m, Σ dt_s. */
  m: number;
  s: number;
  /** Σ dt_s over intervals no longer than 1 / required rate. */
  covered_s: number;
  /** Recording gaps (intervals longer than `gapS`), their total and longest. */
  gaps: number;
  gap_s: number;
  max_gap: number | null;
  /** Σ seg_m where the posted limit is known, and where speed exceeded it by more than the tolerance. */
  m_limit: number;
  m_over: number;
  max_ratio: number | null;
  /** First and last sample, epoch s (detail rows). */
  t0: number | null;
  t1: number | null;
  /** Longest interval to the previous sample in the row, s (detail rows). */
  max_dt: number | null;
  /** A single sample that ends an interval longer than the edge tolerance (its time is t0, the interval max_dt). */
  long_interval: boolean;
  /** Mean position (detail rows). */
  lon: number | null;
  lat: number | null;
}

export interface ReportEvent extends Incident {
  /** The metrics count it (false: a detected disengagement a logged exit explains). */
  counted: boolean;
  month: string;
}

export interface SourceInfo {
  sha256: string | null;
  table: 'telemetry' | 'events';
  /** Has rows in the report month / the previous month. */
  in_month: boolean;
  in_previous: boolean;
}

export interface HistoryMonth {
  company_id: string;
  month: string;
  autonomous_km: number;
  autonomous_h: number;
}

export interface ReportInputs {
  company: string;
  period: Period;
  previous: Period;
  thresholds: ReportThresholds;
  fleet: FleetReference | null;
  /** Detail rows of the report month (and its edges) and light rows of the previous month. */
  rollup: RollupRow[];
  events: ReportEvent[];
  /** Months before the previous month. */
  history: HistoryMonth[];
  /** Collisions and traffic violations before the previous month. */
  history_events: ReportEvent[];
  /** First local date with telemetry per company, as far as the lake holds. */
  first_date: Record<string, string>;
  /** Quarantined rows of the sources of the report month (`month`) and of the previous month (`previous`). */
  quarantine: { month: 'month' | 'previous'; reason: string; n: number }[];
  /** Every source that contributed rows up to the month's end → its catalog sha256 (null if the catalog lacks it). */
  sources: Map<string, SourceInfo>;
  timings: Record<string, number>;
}

/** Detail rows split drives into buckets of this many seconds (the map's resolution along a route). */
export const ROUTE_BUCKET_S = 60;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

// CASE rather than FILTER: DuckDB evaluates these vectorised without a selection per aggregate.
const SUMS = (p: string) => `count(*) AS n, sum(seg_m) AS m, sum(dt_s) AS s,
      sum(CASE WHEN dt_s <= $${p}_cover THEN dt_s END) AS covered_s,
      sum((dt_s > $${p}_gap)::INTEGER) AS gaps, sum(CASE WHEN dt_s > $${p}_gap THEN dt_s END) AS gap_s, max(CASE WHEN dt_s > $${p}_gap THEN dt_s END) AS max_gap,
      sum(CASE WHEN speed_limit_mps > 0 THEN seg_m END) AS m_limit,
      sum(CASE WHEN speed_mps > speed_limit_mps * $${p}_tol THEN seg_m END) AS m_over,
      max(CASE WHEN speed_limit_mps > 0 THEN speed_mps / speed_limit_mps END) AS max_ratio`;

function sumParams(p: string, t: ReportThresholds): Record<string, DuckDBValue> {
  return { [`${p}_cover`]: 1 / t.positionHz + 1e-3, [`${p}_gap`]: t.gapS, [`${p}_tol`]: 1 + t.speedingTolerance };
}

/**
 * Samples ending an interval longer than this are rows of their own in the detail rollup: every interval that can
 * break an incident window (edge tolerance), every recording gap, and (when not shorter) every interval slower than
 * the required position rate.
 */
export function longIntervalS(t: ReportThresholds): number {
  return Math.min(t.windowTolerance.edgeS, t.gapS);
}

/**
 * The detail rollup of the report month (see `ReportInputs`); `filter` spans the month and the window margins.
 * Keys are few and aggregates fewer (each costs a hash-table update per row): hour and day follow from the minute
 * bucket, company and vehicle from the drive, and coverage and gaps from the long-interval rows.
 */
export function detailSql(
  filter: MetricFilter,
  t: ReportThresholds,
): { sql: string; params: Record<string, DuckDBValue> } {
  const w = whereOf(filter);
  const cover = 1 / t.positionHz + 1e-3;
  const params: Record<string, DuckDBValue> = { ...w.params, d_long: longIntervalS(t), d_tol: 1 + t.speedingTolerance };
  // Coverage is derived from the long-interval rows unless the required rate is faster than that split.
  const coverAgg =
    cover >= longIntervalS(t)
      ? ''
      : ((params.d_cover = cover), ', sum(CASE WHEN dt_s <= $d_cover THEN dt_s END) AS covered_s');
  const sql = `SELECT any_value(company) AS company_id, any_value(vehicle_id) AS vehicle_id, drive_id, b, mode, district, ads_version, g IS NOT NULL AS long_interval,
      count(*) AS n, sum(seg_m) AS m, sum(dt_s) AS s,
      sum(CASE WHEN speed_limit_mps > 0 THEN seg_m END) AS m_limit,
      sum(CASE WHEN speed_mps > speed_limit_mps * $d_tol THEN seg_m END) AS m_over,
      max(CASE WHEN speed_limit_mps > 0 THEN speed_mps / speed_limit_mps END) AS max_ratio,
      epoch_us(min(ts)) / 1e6 AS t0, epoch_us(max(ts)) / 1e6 AS t1, avg(lon) AS lon, avg(lat) AS lat${coverAgg}
    FROM (SELECT *, epoch_us(ts) // ${ROUTE_BUCKET_S * 1_000_000} AS b, CASE WHEN dt_s > $d_long THEN epoch_us(ts) END AS g FROM telemetry WHERE ${w.sql})
    GROUP BY drive_id, b, mode, district, ads_version, g`;
  return { sql, params };
}

/** The light rollup of a month: exposure, coverage, gaps and speeding sums by vehicle, day, mode and version. */
export function lightSql(
  filter: MetricFilter,
  t: ReportThresholds,
): { sql: string; params: Record<string, DuckDBValue> } {
  const w = whereOf(filter);
  return {
    sql: `SELECT company AS company_id, vehicle_id, date::VARCHAR AS day, mode, ads_version, ${SUMS('l')}
      FROM telemetry WHERE ${w.sql} GROUP BY company, vehicle_id, date, mode, ads_version`,
    params: { ...w.params, ...sumParams('l', t) },
  };
}

const OFFSET_S = 8 * 3600;

/** Local date names by local day number (days since the epoch, UTC+8): a report touches a few dozen. */
const localDays = new Map<number, string>();
function localDayName(dayNumber: number): string {
  let name = localDays.get(dayNumber);
  if (name === undefined)
    localDays.set(dayNumber, (name = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10)));
  return name;
}

/**
 * A detail row: day and hour from its first sample (a minute bucket never crosses an hour), coverage and gaps from
 * the long-interval rows. Tens of thousands per report: plain arithmetic on the query's own row object.
 */
function detailRow(r: Record<string, unknown>, t: ReportThresholds): RollupRow {
  const local = num(r.t0) + OFFSET_S;
  const dayNumber = Math.floor(local / 86_400);
  const s = num(r.s);
  const long = r.long_interval === true;
  const cover = 1 / t.positionHz + 1e-3;
  // A long-interval row is one sample: its Σ dt_s is its interval.
  const gap = long && s > t.gapS;
  r.day = localDayName(dayNumber);
  r.hour = Math.floor((local - dayNumber * 86_400) / 3600);
  if (r.covered_s === undefined) r.covered_s = long && s > cover ? 0 : s;
  r.gaps = gap ? 1 : 0;
  r.gap_s = gap ? s : 0;
  r.max_gap = gap ? s : null;
  r.max_dt = long ? s : null;
  return rollupRow(r, 'detail');
}

function rollupRow(r: Record<string, unknown>, part: RollupRow['part']): RollupRow {
  const day = String(r.day);
  return {
    part,
    company_id: String(r.company_id),
    vehicle_id: String(r.vehicle_id),
    drive_id: strOrNull(r.drive_id),
    month: day.slice(0, 7),
    day,
    hour: numOrNull(r.hour),
    mode: String(r.mode),
    district: strOrNull(r.district),
    ads_version: strOrNull(r.ads_version),
    n: num(r.n),
    m: num(r.m),
    s: num(r.s),
    covered_s: num(r.covered_s),
    gaps: num(r.gaps),
    gap_s: num(r.gap_s),
    max_gap: numOrNull(r.max_gap),
    m_limit: num(r.m_limit),
    m_over: num(r.m_over),
    max_ratio: numOrNull(r.max_ratio),
    t0: numOrNull(r.t0),
    t1: numOrNull(r.t1),
    max_dt: numOrNull(r.max_dt),
    long_interval: r.long_interval === true,
    lon: numOrNull(r.lon),
    lat: numOrNull(r.lat),
  };
}

function eventRow(r: Record<string, unknown>): ReportEvent {
  const e = Object.fromEntries(INCIDENT_COLUMNS.map((c) => [c, r[c] ?? null])) as unknown as ReportEvent;
  e.source_id ??= '';
  e.counted = r.counted === true;
  e.month = String(r.month);
  return e;
}

/**
 * The event columns a report reads. Event files are small (one or two per drive), so every column read costs a
 * column chunk per file: the ones no section shows (ts_end, peak, source_id) are left out, company and month come
 * from the Hive partition (free), and mode and ADS version from the telemetry rollup.
 */
const EVENT_COLUMNS = [
  'event_id',
  'kind',
  'severity',
  'origin',
  'vehicle_id',
  'drive_id',
  'ts',
  'lat',
  'lon',
  'speed_mps',
  'initiator',
  'cause',
  'district',
  'detail',
] as const;

/** Events of a filter, flagged whether the metrics count them. */
function eventsSql(
  filter: MetricFilter,
  kinds?: readonly string[],
): { sql: string; params: Record<string, DuckDBValue> } {
  const cte = reconciledEventsCte(filter, false);
  const params = { ...cte.params };
  const kindClause = kinds?.length
    ? `WHERE e.kind IN (${kinds.map((k, i) => ((params[`rk_${i}`] = k), `$rk_${i}`)).join(', ')})`
    : '';
  const cols = EVENT_COLUMNS.map((c) => (c === 'ts' ? `strftime(e.ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS ts` : `e.${c}`)).join(
    ', ',
  );
  return {
    sql: `WITH ${cte.sql}
      SELECT ${cols}, e.company AS company_id, strftime(e.date, '%Y-%m') AS month, (r.event_id IS NOT NULL) AS counted
      FROM ev e LEFT JOIN (SELECT event_id FROM ev_reconciled) r ON e.event_id = r.event_id ${kindClause}`,
    params,
  };
}

/** source_id (first 16 hex digits of the sha256) → sha256, from the catalog's file names. */
function catalogHashes(catalogDir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(catalogDir)) return out;
  for (const f of fs.readdirSync(catalogDir)) {
    const m = /^([0-9a-f]{64})\.json$/u.exec(f);
    if (m?.[1]) out.set(m[1].slice(0, 16), m[1]);
  }
  return out;
}

/** The contributing sources of a report, from the partition folders and the catalog's file names (no query). */
export interface ReportSources {
  sources: Map<string, SourceInfo>;
  first_date: Record<string, string>;
  /** The lake has partitions before the previous month. */
  has_history: boolean;
}

export function reportSources(repo: LakeRepository, scope: Scope, company: string, period: Period): ReportSources {
  const previous = previousPeriod(period);
  const companies = scope.company !== undefined ? [scope.company] : company === 'all' ? null : [company];
  const files = lakeFiles(repo.db.paths, { fromDate: null, toDate: period.lastDate, companies });
  const hashes = catalogHashes(repo.db.paths.catalog);
  const sources = new Map<string, SourceInfo>();
  const first_date: Record<string, string> = {};
  for (const f of files) {
    let s = sources.get(f.source_id);
    if (!s)
      sources.set(
        f.source_id,
        (s = { sha256: hashes.get(f.source_id) ?? null, table: f.table, in_month: false, in_previous: false }),
      );
    if (f.date >= period.firstDate) s.in_month = true;
    else if (f.date >= previous.firstDate) s.in_previous = true;
    if (f.table === 'telemetry' && (!first_date[f.company] || f.date < (first_date[f.company] as string)))
      first_date[f.company] = f.date;
  }
  return { sources, first_date, has_history: files.some((f) => f.date < previous.firstDate) };
}

export interface FetchOptions {
  company: string;
  period: Period;
  thresholds: ReportThresholds;
  fleet: FleetReference | null;
  /** Read the telemetry rollup where it serves (default); false: always scan the telemetry. Same figures either way. */
  rollup?: boolean;
}

const shiftIso = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString();
/** An instant moved out to a bucket boundary (down or up), so that a time filter selects whole detail rows. */
const toBucket = (iso: string, dir: 'down' | 'up') => {
  const b = ROUTE_BUCKET_S * 1000;
  const ms = Date.parse(iso);
  return new Date((dir === 'down' ? Math.floor(ms / b) : Math.ceil(ms / b)) * b).toISOString();
};

/** The rollup was computed with these thresholds (its long-interval split, speeding tolerance, bucket). */
export function rollupMatches(t: ReportThresholds): boolean {
  return (
    ROUTE_BUCKET_S === ROLLUP_PARAMS.bucketS &&
    longIntervalS(t) === ROLLUP_PARAMS.longIntervalS &&
    t.speedingTolerance === ROLLUP_PARAMS.speedingTolerance &&
    1 / t.positionHz + 1e-3 >= longIntervalS(t)
  );
}

/** Runs the report's lake queries (see `ReportInputs`). `company` is an id or `all`. */
export async function fetchReportInputs(
  repo: LakeRepository,
  scope: Scope,
  o: FetchOptions,
  src: ReportSources = reportSources(repo, scope, o.company, o.period),
): Promise<ReportInputs> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      timings[name] = performance.now() - t;
    }
  };
  const t = o.thresholds;
  const period = o.period;
  const previous = previousPeriod(o.period);
  const companyFilter: MetricFilter = o.company === 'all' ? {} : { company: [o.company] };
  // Incident windows of the month reach this far into the neighbouring months.
  const margin = {
    before: t.window.beforeS + t.windowTolerance.edgeS + 2,
    after: t.window.afterS + t.windowTolerance.edgeS + 2,
  };
  // Out to whole buckets: rows at the edges are whole minutes, as everywhere else (and as the rollup holds them).
  const detailFilter: MetricFilter = {
    ...companyFilter,
    from: toBucket(shiftIso(period.from, -margin.before), 'down'),
    to: toBucket(shiftIso(period.to, margin.after), 'up'),
  };
  const prevFilter: MetricFilter = { ...companyFilter, from: previous.from, to: previous.to };
  const eventFilter: MetricFilter = { ...companyFilter, from: previous.from, to: period.to };
  const before: MetricFilter = { ...companyFilter, to: previous.from };

  const { sources, first_date, has_history: hasHistory } = src;
  const fromRollup = (f: MetricFilter) =>
    o.rollup !== false && rollupMatches(t) && rollupServes(repo.db.paths, scope, f);
  const d = fromRollup(detailFilter) ? detailRollupSql(detailFilter) : detailSql(detailFilter, t);
  const l = fromRollup(prevFilter)
    ? lightRollupSql(prevFilter, 1 / t.positionHz + 1e-3, t.gapS)
    : lightSql(prevFilter, t);
  const ev = eventsSql(eventFilter);
  const hev = eventsSql(before, ['collision', 'traffic_violation']);
  // Concurrently, each on its own connection: the month's rows are mostly read from the in-memory rollup, so the
  // time goes to turning result rows into JS objects on this thread while DuckDB's threads run the other queries.
  const [detailRows, lightRows, eventRows, historyExposure, historyEventRows] = await Promise.all([
    timed('detail', () => repo.query(scope, d.sql, d.params)),
    timed('previous_month', () => repo.query(scope, l.sql, l.params)),
    timed('events', () => repo.query(scope, ev.sql, ev.params)),
    hasHistory
      ? timed('history_exposure', () => exposure(repo, scope, ['company', 'month'], before))
      : Promise.resolve([]),
    hasHistory ? timed('history_events', () => repo.query(scope, hev.sql, hev.params)) : Promise.resolve([]),
  ]);
  const rollup = [...detailRows.map((r) => detailRow(r, t)), ...lightRows.map((r) => rollupRow(r, 'light'))];
  const events = eventRows.map(eventRow);

  const windowSources = [...sources].filter(([, v]) => v.in_month || v.in_previous).map(([id]) => id);
  const quarantine: ReportInputs['quarantine'] = [];
  if (windowSources.length) {
    await timed('quarantine', async () => {
      const params: Record<string, DuckDBValue> = { q_sources: listValue(windowSources) };
      const rows = await repo.query(
        scope,
        `SELECT source_id, reason, count(*)::INTEGER AS n FROM quarantine WHERE list_contains($q_sources::VARCHAR[], source_id) GROUP BY ALL`,
        params,
      );
      for (const q of rows) {
        const s = sources.get(String(q.source_id));
        if (s?.in_month) quarantine.push({ month: 'month', reason: String(q.reason), n: num(q.n) });
        if (s?.in_previous) quarantine.push({ month: 'previous', reason: String(q.reason), n: num(q.n) });
      }
    });
  }

  return {
    company: o.company,
    period,
    previous,
    thresholds: t,
    fleet: o.fleet,
    rollup,
    events,
    history: historyExposure.map((h) => ({
      company_id: String(h.group.company),
      month: String(h.group.month),
      autonomous_km: h.km.autonomous,
      autonomous_h: h.hours.autonomous,
    })),
    history_events: historyEventRows.map(eventRow),
    first_date,
    quarantine,
    sources,
    timings,
  };
}
