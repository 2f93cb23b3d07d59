import type { DuckDBValue } from '@duckdb/node-api';

/** Dimensions every metric can be grouped by. */
export const GROUP_KEYS = ['company', 'vehicle', 'day', 'month', 'district', 'ads_version'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

/** Filters shared by metrics and incident search. Times are UTC instants; lists match any. */
export interface MetricFilter {
  from?: string;
  to?: string;
  company?: string[];
  vehicle?: string[];
  district?: string[];
  ads_version?: string[];
}

/** Column of a group key in the telemetry table / the enriched events relation. */
export function groupExpr(key: GroupKey): string {
  switch (key) {
    case 'company':
      return 'company_id';
    case 'vehicle':
      return 'vehicle_id';
    case 'day':
      return "strftime(local_date, '%Y-%m-%d')";
    case 'month':
      return "strftime(local_date, '%Y-%m')";
    case 'district':
      return 'district';
    case 'ads_version':
      return 'ads_version';
  }
}

/** Local (Asia/Shanghai) calendar date of an instant, for partition pruning. */
function localDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * WHERE clauses and parameters for a filter over a relation with ts, date (partition), company_id, vehicle_id,
 * district and ads_version. The date bounds let DuckDB skip whole partitions.
 */
export function whereOf(f: MetricFilter, prefix = 'f'): { sql: string; params: Record<string, DuckDBValue> } {
  const clauses: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  if (f.from !== undefined) {
    clauses.push(`ts >= $${prefix}_from::TIMESTAMPTZ AND date >= $${prefix}_from_date::DATE`);
    params[`${prefix}_from`] = f.from;
    params[`${prefix}_from_date`] = localDate(f.from);
  }
  if (f.to !== undefined) {
    clauses.push(`ts < $${prefix}_to::TIMESTAMPTZ AND date <= $${prefix}_to_date::DATE`);
    params[`${prefix}_to`] = f.to;
    params[`${prefix}_to_date`] = localDate(f.to);
  }
  const list = (col: string, name: string, values: string[] | undefined) => {
    if (!values?.length) return;
    const names = values.map((v, i) => {
      params[`${prefix}_${name}_${i}`] = v;
      return `$${prefix}_${name}_${i}`;
    });
    clauses.push(`${col} IN (${names.join(', ')})`);
  };
  list('company_id', 'company', f.company);
  list('vehicle_id', 'vehicle', f.vehicle);
  list('district', 'district', f.district);
  list('ads_version', 'ads', f.ads_version);
  return { sql: clauses.length ? clauses.join(' AND ') : 'true', params };
}

/**
 * SELECT list and GROUP BY for group keys. Grouping is by position: an alias such as `company` would otherwise
 * bind to the Hive partition column of the same name.
 */
export function groupSql(keys: readonly GroupKey[]): { select: string; by: string; names: string } {
  if (!keys.length) return { select: '', by: '', names: '' };
  const select = keys.map((k) => `${groupExpr(k)} AS ${k}`).join(', ');
  const positions = keys.map((_, i) => String(i + 1)).join(', ');
  return { select: `${select}, `, by: `GROUP BY ${positions}`, names: positions };
}
