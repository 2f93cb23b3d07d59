import type { DuckDBValue } from '@duckdb/node-api';
import { whereOf, type MetricFilter } from '../../lake/metrics/filters.js';
import type { Mode } from '../../ingest/schema/vocab.js';

export type Bbox = readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** What the map's filters select: the metric filters (time, company, vehicle, district) plus mode and a box. */
export interface MapFilter extends MetricFilter {
  mode?: readonly Mode[];
  bbox?: Bbox;
}

export interface MapWhere {
  /** Whole-sample filters that also prune partitions: time, company, vehicle, district. */
  base: string;
  /** Per-sample predicate that cuts a drive into pieces (mode, box), or `true`. */
  inside: string;
  params: Record<string, DuckDBValue>;
}

/** SQL for a map filter over a relation with the telemetry columns (`lon`, `lat`, `mode`, and `whereOf`'s). */
export function mapWhere(f: MapFilter, prefix = 'm'): MapWhere {
  const { mode, bbox, ...metric } = f;
  const w = whereOf(metric, prefix);
  const params = { ...w.params };
  const inside: string[] = [];
  if (mode?.length) {
    inside.push(
      `mode IN (${mode.map((m, i) => ((params[`${prefix}_mode_${i}`] = m), `$${prefix}_mode_${i}`)).join(', ')})`,
    );
  }
  if (bbox) {
    const [minLon, minLat, maxLon, maxLat] = bbox;
    Object.assign(params, {
      [`${prefix}_minlon`]: minLon,
      [`${prefix}_minlat`]: minLat,
      [`${prefix}_maxlon`]: maxLon,
      [`${prefix}_maxlat`]: maxLat,
    });
    inside.push(
      `lon BETWEEN $${prefix}_minlon AND $${prefix}_maxlon AND lat BETWEEN $${prefix}_minlat AND $${prefix}_maxlat`,
    );
  }
  return { base: w.sql, inside: inside.length ? inside.join(' AND ') : 'true', params };
}
