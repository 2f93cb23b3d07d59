import type { GroupKey, MetricFilter } from './filters.js';

/** The filter and group-by arguments as the API's query string and the CLI's flags spell them (already validated). */
export interface MetricArgsText {
  group_by?: string;
  from?: string;
  to?: string;
  company?: string;
  vehicle?: string;
  district?: string;
  ads_version?: string;
}

/** A comma-separated list, values trimmed; undefined stays undefined. */
export const splitList = (s: string | undefined): string[] | undefined =>
  s === undefined ? undefined : s.split(',').map((v) => v.trim());

/** An ISO-8601 instant, as UTC; a date alone means midnight in Beijing (regulators count days locally). */
export function instant(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/u.test(s)
    ? new Date(Date.parse(`${s}T00:00:00+08:00`)).toISOString()
    : new Date(Date.parse(s)).toISOString();
}

/** Group keys (deduplicated, in the order given) and the filter of a metric, incident or map query. */
export function metricArgs(q: MetricArgsText): { groupBy: GroupKey[]; filter: MetricFilter } {
  const filter: MetricFilter = {};
  const set = <K extends keyof MetricFilter>(k: K, v: MetricFilter[K] | undefined) => {
    if (v !== undefined) filter[k] = v;
  };
  set('from', instant(q.from));
  set('to', instant(q.to));
  set('company', splitList(q.company));
  set('vehicle', splitList(q.vehicle));
  set('district', splitList(q.district));
  set('ads_version', splitList(q.ads_version));
  return { groupBy: [...new Set((splitList(q.group_by) ?? []) as GroupKey[])], filter };
}
