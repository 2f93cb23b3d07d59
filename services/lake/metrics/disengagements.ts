import type { LakeRepository } from '../repository.js';
import type { Scope } from '../scope.js';
import { exposure } from './exposure.js';
import { groupSql, type GroupKey, type MetricFilter } from './filters.js';
import { reconciledEventsCte } from './reconciled-events.js';

export interface DisengagementRow {
  group: Partial<Record<GroupKey, string | null>>;
  count: number;
  autonomous_km: number;
  per_1000_km: number | null;
  km_per_disengagement: number | null;
  by_initiator: Record<string, number>;
  by_cause: Record<string, number>;
}

const keyOf = (groupBy: readonly GroupKey[], g: Partial<Record<GroupKey, unknown>>) =>
  JSON.stringify(groupBy.map((k) => g[k] ?? null));

/**
 * Disengagements (leaving autonomy because the system failed or a person had to take over; planned exits are
 * not counted): per 1,000 autonomous km, autonomous km per disengagement, by initiator and cause.
 */
export async function disengagements(
  repo: LakeRepository,
  scope: Scope,
  groupBy: readonly GroupKey[],
  filter: MetricFilter,
): Promise<DisengagementRow[]> {
  const cte = reconciledEventsCte(filter, groupBy.includes('ads_version'));
  const g = groupSql(groupBy);
  const [rows, km] = await Promise.all([
    repo.query(
      scope,
      `WITH ${cte.sql}
     SELECT ${g.select}coalesce(initiator, 'unknown') AS initiator, coalesce(cause, 'unknown') AS cause, count(*)::INTEGER AS n
     FROM ev_reconciled WHERE kind = 'disengagement' GROUP BY ALL`,
      cte.params,
    ),
    exposure(repo, scope, groupBy, filter),
  ]);
  const out = new Map<string, DisengagementRow>();
  for (const e of km) {
    const autonomous = e.km.autonomous;
    out.set(keyOf(groupBy, e.group), {
      group: e.group,
      count: 0,
      autonomous_km: autonomous,
      per_1000_km: null,
      km_per_disengagement: null,
      by_initiator: {},
      by_cause: {},
    });
  }
  for (const r of rows) {
    const group = Object.fromEntries(groupBy.map((k) => [k, (r[k] as string | null) ?? null]));
    const key = keyOf(groupBy, group);
    let row = out.get(key);
    if (!row) {
      row = {
        group,
        count: 0,
        autonomous_km: 0,
        per_1000_km: null,
        km_per_disengagement: null,
        by_initiator: {},
        by_cause: {},
      };
      out.set(key, row);
    }
    const n = Number(r.n);
    row.count += n;
    row.by_initiator[r.initiator as string] = (row.by_initiator[r.initiator as string] ?? 0) + n;
    row.by_cause[r.cause as string] = (row.by_cause[r.cause as string] ?? 0) + n;
  }
  for (const row of out.values()) {
    row.per_1000_km = row.autonomous_km > 0 ? (row.count / row.autonomous_km) * 1000 : null;
    row.km_per_disengagement = row.count > 0 ? row.autonomous_km / row.count : null;
  }
  return [...out.values()].sort((a, b) => keyOf(groupBy, a.group).localeCompare(keyOf(groupBy, b.group)));
}
