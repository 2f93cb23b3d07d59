import type { DuckDBValue } from '@duckdb/node-api';
import type { LakeRepository } from '../repository.js';
import type { Scope } from '../scope.js';
import type { MetricFilter } from '../metrics/filters.js';
import { reconciledEventsCte } from '../metrics/reconciled-events.js';
import { IS_INCIDENT_SQL, SEVERITY_RANK_SQL } from '../metrics/vocabulary-sql.js';
import { INCIDENT_COLUMNS, type Incident } from './incident.js';

export const INCIDENT_SORTS = ['ts', '-ts', 'speed', '-speed', 'peak', '-peak', 'severity', '-severity'] as const;
/** What each sort key orders by; `-` in front means largest first. */
export const SORT_MEANINGS: Record<string, string> = {
  ts: 'time',
  speed: 'speed at the event',
  peak: 'magnitude of the peak (|peak|): -peak is worst first, the hardest brake or largest jerk',
  severity: 'severity rank: -severity is most severe first',
};
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

export interface IncidentQuery extends MetricFilter {
  kind?: string[];
  severity?: string[];
  mode?: string[];
  origin?: string[];
  /** Only these events (the triage filter resolves to ids in the state database). */
  event_id?: string[];
  /** Not these events (`triage_status=new` resolves to the ids that have another status). */
  exclude_event_id?: string[];
  bbox?: [number, number, number, number];
  speed_min?: number;
  speed_max?: number;
  sort: IncidentSort;
  limit: number;
  cursor?: string;
}

const SORT_EXPR: Record<string, string> = {
  ts: 'epoch_us(ts)::DOUBLE',
  speed: 'coalesce(speed_mps, -1e308)',
  // braking peaks are negative: the magnitude makes `-peak` read as "worst first" for every kind
  peak: 'coalesce(abs(peak), -1e308)',
  severity: `(${SEVERITY_RANK_SQL})::DOUBLE`,
};

export class BadCursor extends Error {}

interface CursorState {
  v: number;
  id: string;
  s: string;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, sort: string): CursorState {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorState;
    if (typeof c.v === 'number' && typeof c.id === 'string' && c.s === sort) return c;
  } catch {
    // fall through
  }
  throw new BadCursor('cursor is not one this search returned (or the sort changed)');
}

/** Incidents matching a query, sorted, one page at a time with an opaque keyset cursor. */
export async function searchIncidents(
  repo: LakeRepository,
  scope: Scope,
  q: IncidentQuery,
): Promise<{ items: Incident[]; total: number; next_cursor: string | null }> {
  const cte = reconciledEventsCte(q, Boolean(q.mode?.length));
  const params: Record<string, DuckDBValue> = { ...cte.params };
  const where: string[] = [IS_INCIDENT_SQL];
  const list = (col: string, name: string, values: string[] | undefined) => {
    if (!values?.length) return;
    where.push(`${col} IN (${values.map((v, i) => ((params[`${name}_${i}`] = v), `$${name}_${i}`)).join(', ')})`);
  };
  list('kind', 'kind', q.kind);
  list('severity', 'sev', q.severity);
  list('mode', 'mode', q.mode);
  list('origin', 'origin', q.origin);
  if (q.event_id) {
    if (!q.event_id.length) where.push('false');
    list('event_id', 'eid', q.event_id);
  }
  if (q.exclude_event_id?.length)
    where.push(
      `event_id NOT IN (${q.exclude_event_id.map((v, i) => ((params[`xid_${i}`] = v), `$xid_${i}`)).join(', ')})`,
    );
  if (q.bbox) {
    const [minLon, minLat, maxLon, maxLat] = q.bbox;
    Object.assign(params, { minLon, minLat, maxLon, maxLat });
    where.push('lon BETWEEN $minLon AND $maxLon AND lat BETWEEN $minLat AND $maxLat');
  }
  if (q.speed_min !== undefined) {
    params.speed_min = q.speed_min;
    where.push('speed_mps >= $speed_min');
  }
  if (q.speed_max !== undefined) {
    params.speed_max = q.speed_max;
    where.push('speed_mps <= $speed_max');
  }
  const desc = q.sort.startsWith('-');
  const sortKey = q.sort.replace(/^-/u, '');
  const expr = SORT_EXPR[sortKey] ?? SORT_EXPR.ts;
  const filtered = `WITH ${cte.sql}, ranked AS (SELECT *, ${expr} AS sort_value FROM ev_reconciled)
     SELECT count(*) AS n FROM ranked WHERE ${where.join(' AND ')}`;
  const countParams = { ...params };
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor, q.sort);
    params.cv = c.v;
    params.cid = c.id;
    where.push(
      desc
        ? `(sort_value < $cv OR (sort_value = $cv AND event_id < $cid))`
        : `(sort_value > $cv OR (sort_value = $cv AND event_id > $cid))`,
    );
  }
  params.lim = q.limit + 1;
  const dir = desc ? 'DESC' : 'ASC';
  const rows = await repo.query(
    scope,
    `WITH ${cte.sql}, ranked AS (SELECT *, ${expr} AS sort_value FROM ev_reconciled)
     SELECT ${INCIDENT_COLUMNS.join(', ')}, sort_value FROM ranked WHERE ${where.join(' AND ')}
     ORDER BY sort_value ${dir}, event_id ${dir} LIMIT $lim`,
    params,
  );
  const [counted] = await repo.query(scope, filtered, countParams);
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const items = page.map((r) => Object.fromEntries(INCIDENT_COLUMNS.map((c) => [c, r[c] ?? null])) as Incident);
  if (!q.mode?.length) await addContext(repo, scope, items);
  return {
    items,
    total: Number(counted?.n ?? 0),
    next_cursor:
      more && last ? encodeCursor({ v: Number(last.sort_value), id: String(last.event_id), s: q.sort }) : null,
  };
}

/**
 * Fills mode and ADS version of a page of incidents from each vehicle's latest sample at or before it: one ASOF
 * join restricted to the page's vehicles and days, so it reads a few partitions rather than the whole lake.
 */
async function addContext(repo: LakeRepository, scope: Scope, items: Incident[]): Promise<void> {
  if (!items.length) return;
  const params: Record<string, DuckDBValue> = {};
  const rows = items.map((it, i) => {
    params[`id_${i}`] = it.event_id;
    params[`v_${i}`] = it.vehicle_id;
    params[`t_${i}`] = it.ts;
    return `($id_${i}, $v_${i}, $t_${i}::TIMESTAMPTZ)`;
  });
  const dates = new Set<string>();
  for (const it of items) {
    const local = Date.parse(it.ts) + 8 * 3600_000;
    dates.add(new Date(local).toISOString().slice(0, 10));
    dates.add(new Date(local - 86_400_000).toISOString().slice(0, 10));
  }
  const dateList = [...dates].map((d, i) => ((params[`d_${i}`] = d), `$d_${i}::DATE`)).join(', ');
  const vehicles = [...new Set(items.map((it) => it.vehicle_id))]
    .map((v, i) => ((params[`vv_${i}`] = v), `$vv_${i}`))
    .join(', ');
  const found = await repo.query(
    scope,
    `SELECT p.event_id, s.mode, s.ads_version
     FROM (VALUES ${rows.join(', ')}) p(event_id, vehicle_id, ts)
     ASOF LEFT JOIN (SELECT vehicle_id, ts, mode, ads_version FROM telemetry WHERE date IN (${dateList}) AND vehicle_id IN (${vehicles})) s
       ON p.vehicle_id = s.vehicle_id AND p.ts >= s.ts`,
    params,
  );
  const byId = new Map(found.map((r) => [r.event_id, r]));
  for (const it of items) {
    const r = byId.get(it.event_id);
    it.mode = (r?.mode as string | null | undefined) ?? null;
    it.ads_version = (r?.ads_version as string | null | undefined) ?? null;
  }
}
