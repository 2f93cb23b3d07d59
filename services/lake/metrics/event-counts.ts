import type { LakeRepository } from '../repository.js';
import type { Scope } from '../scope.js';
import { exposure } from './exposure.js';
import { groupSql, type GroupKey, type MetricFilter } from './filters.js';
import { reconciledEventsCte } from './reconciled-events.js';
import { IS_INCIDENT_SQL } from './vocabulary-sql.js';

export interface KindCount {
  count: number;
  per_1000_km: number | null;
  by_severity: Record<string, number>;
}

export interface EventCountRow {
  group: Partial<Record<GroupKey, string | null>>;
  km: number;
  total: number;
  per_1000_km: number | null;
  by_kind: Record<string, KindCount>;
}

const keyOf = (groupBy: readonly GroupKey[], g: Partial<Record<GroupKey, unknown>>) =>
  JSON.stringify(groupBy.map((k) => g[k] ?? null));

/**
 * Events by kind and severity per 1,000 km driven (all modes), optionally restricted to some kinds.
 * Collisions per million km is the same count with kinds = ['collision'].
 */
export async function eventCounts(
  repo: LakeRepository,
  scope: Scope,
  groupBy: readonly GroupKey[],
  filter: MetricFilter,
  kinds?: readonly string[],
): Promise<EventCountRow[]> {
  const cte = reconciledEventsCte(filter, groupBy.includes('ads_version'));
  const g = groupSql(groupBy);
  const params = { ...cte.params };
  let kindClause = IS_INCIDENT_SQL;
  if (kinds?.length) {
    kindClause = `kind IN (${kinds.map((k, i) => ((params[`k_${i}`] = k), `$k_${i}`)).join(', ')})`;
  }
  const [rows, km] = await Promise.all([
    repo.query(
      scope,
      `WITH ${cte.sql}
     SELECT ${g.select}kind, coalesce(severity, 'unspecified') AS severity, count(*)::INTEGER AS n
     FROM ev_reconciled WHERE ${kindClause} GROUP BY ALL`,
      params,
    ),
    exposure(repo, scope, groupBy, filter),
  ]);
  const out = new Map<string, EventCountRow>();
  for (const e of km)
    out.set(keyOf(groupBy, e.group), { group: e.group, km: e.km.total, total: 0, per_1000_km: null, by_kind: {} });
  for (const r of rows) {
    const group = Object.fromEntries(groupBy.map((k) => [k, (r[k] as string | null) ?? null]));
    const key = keyOf(groupBy, group);
    let row = out.get(key);
    if (!row) {
      row = { group, km: 0, total: 0, per_1000_km: null, by_kind: {} };
      out.set(key, row);
    }
    const n = Number(r.n);
    const kind = r.kind as string;
    const k = (row.by_kind[kind] ??= { count: 0, per_1000_km: null, by_severity: {} });
    k.count += n;
    k.by_severity[r.severity as string] = (k.by_severity[r.severity as string] ?? 0) + n;
    row.total += n;
  }
  for (const row of out.values()) {
    row.per_1000_km = row.km > 0 ? (row.total / row.km) * 1000 : null;
    for (const k of Object.values(row.by_kind)) k.per_1000_km = row.km > 0 ? (k.count / row.km) * 1000 : null;
  }
  return [...out.values()].sort((a, b) => keyOf(groupBy, a.group).localeCompare(keyOf(groupBy, b.group)));
}
