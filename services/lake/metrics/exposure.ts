import { MODES, type Mode } from '../../ingest/schema/vocab.js';
import type { LakeRepository } from '../repository.js';
import type { Scope } from '../scope.js';
import { groupSql, whereOf, type GroupKey, type MetricFilter } from './filters.js';
import { rollupServes } from './rollup-coverage.js';

type ByMode = Record<Mode | 'total', number>;

export interface ExposureRow {
  group: Partial<Record<GroupKey, string | null>>;
  km: ByMode;
  hours: ByMode;
}

/**
 * Exposure: km (Σ seg_m) and hours (Σ dt_s) per driving mode. Each interval between two samples of a drive
 * counts in the later sample's mode, day and district. The same SQL runs on the telemetry rollup (its sums carry
 * the telemetry's column names), which is read instead whenever it serves the filter (one row per drive-minute instead of one per sample).
 */
export function exposureSql(
  groupBy: readonly GroupKey[],
  filter: MetricFilter,
  table: 'telemetry' | 'rollup' = 'telemetry',
) {
  const g = groupSql(groupBy);
  const w = whereOf(filter);
  const perMode = MODES.map(
    (m) =>
      `sum(seg_m) FILTER (WHERE mode = '${m}') / 1000 AS km_${m}, sum(dt_s) FILTER (WHERE mode = '${m}') / 3600 AS h_${m}`,
  ).join(', ');
  const sql = `SELECT ${g.select}${perMode}, sum(seg_m) / 1000 AS km_total, sum(dt_s) / 3600 AS h_total
    FROM ${table} WHERE ${w.sql} ${g.by} ${g.names ? `ORDER BY ${g.names}` : ''}`;
  return { sql, params: w.params };
}

export async function exposure(
  repo: LakeRepository,
  scope: Scope,
  groupBy: readonly GroupKey[],
  filter: MetricFilter,
): Promise<ExposureRow[]> {
  const { sql, params } = exposureSql(
    groupBy,
    filter,
    rollupServes(repo.db.paths, scope, filter) ? 'rollup' : 'telemetry',
  );
  const rows = await repo.query(scope, sql, params);
  return rows.map((r) => ({
    group: Object.fromEntries(groupBy.map((k) => [k, (r[k] as string | null) ?? null])),
    km: byMode(r, 'km'),
    hours: byMode(r, 'h'),
  }));
}

function byMode(r: Record<string, unknown>, prefix: string): ByMode {
  const out = { total: Number(r[`${prefix}_total`] ?? 0) } as ByMode;
  for (const m of MODES) out[m] = Number(r[`${prefix}_${m}`] ?? 0);
  return out;
}
